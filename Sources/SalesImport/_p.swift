enum _PlaceholderSalesImport {}
