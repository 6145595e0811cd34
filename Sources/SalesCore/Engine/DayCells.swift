/// The base measures of one rep, per day and per calendar month.
///
/// Adding a value touches one day row and one month row (O(1)); summing a period adds whole months
/// from the month rows and only the ragged edges from day rows, so a quarter is three row additions.
struct DayCells {
    private static let width = BaseMeasure.count
    var firstMonth: Int32 = 0
    var firstDay: Day = 0
    var dayRows: [Int64] = []
    var monthRows: [Int64] = []

    var isEmpty: Bool { dayRows.isEmpty }
    var dayCount: Int { dayRows.count / Self.width }
    var lastDay: Day { firstDay + Day(dayCount) }
    var bytes: Int { (dayRows.capacity + monthRows.capacity) * 8 }

    mutating func add(_ measure: BaseMeasure, _ value: Int64, on day: Day) {
        guard value != 0 else { return }
        ensure(day)
        dayRows[Int(day - firstDay) * Self.width + measure.rawValue] &+= value
        monthRows[Int(CivilDate(day).monthIndex - firstMonth) * Self.width + measure.rawValue] &+= value
    }

    /// Grows the rows to cover `day`, in whole months (and a year ahead when going back in time,
    /// so that history arriving newest-first does not shift the rows once per month).
    private mutating func ensure(_ day: Day) {
        let month = CivilDate(day).monthIndex
        if dayRows.isEmpty {
            firstMonth = month
            firstDay = CivilDate.firstDay(ofMonthIndex: month)
        } else if day < firstDay {
            let newFirstMonth = min(month, firstMonth - 12)
            let newFirstDay = CivilDate.firstDay(ofMonthIndex: newFirstMonth)
            dayRows.insert(contentsOf: repeatElement(0, count: Int(firstDay - newFirstDay) * Self.width), at: 0)
            monthRows.insert(contentsOf: repeatElement(0, count: Int(firstMonth - newFirstMonth) * Self.width), at: 0)
            firstMonth = newFirstMonth
            firstDay = newFirstDay
        }
        if day >= lastDay {
            let endMonth = month + 1
            let endDay = CivilDate.firstDay(ofMonthIndex: endMonth)
            dayRows.append(contentsOf: repeatElement(0, count: Int(endDay - lastDay) * Self.width))
            monthRows.append(
                contentsOf: repeatElement(0, count: Int(endMonth - firstMonth) * Self.width - monthRows.count))
        }
    }

    /// Adds the sums of the span's months and days that these rows cover to `acc`.
    func sum(_ span: Span, into acc: inout MeasureVector) {
        guard !dayRows.isEmpty else { return }
        let w = Self.width
        let months = Int32(monthRows.count / w)
        acc.values.withUnsafeMutableBufferPointer { out in
            monthRows.withUnsafeBufferPointer { rows in
                for m in span.months where m >= firstMonth && m < firstMonth + months {
                    let base = Int(m - firstMonth) * w
                    for i in 0..<w { out[i] &+= rows[base + i] }
                }
            }
            dayRows.withUnsafeBufferPointer { rows in
                for d in span.days where d >= firstDay && d < lastDay {
                    let base = Int(d - firstDay) * w
                    for i in 0..<w { out[i] &+= rows[base + i] }
                }
            }
        }
    }

    /// `[start, end)` cut into whole calendar months and the days outside them: what `sum` adds, worked out once
    /// for a period rather than once per rep (the calendar arithmetic cost as much as the additions).
    struct Span: Sendable {
        var months: [Int32] = []
        var days: [Day] = []

        init(_ start: Day, _ end: Day) {
            var d = start
            while d < end {
                let m = CivilDate(d).monthIndex
                let next = CivilDate.firstDay(ofMonthIndex: m + 1)
                if d == CivilDate.firstDay(ofMonthIndex: m) && next <= end {
                    months.append(m)
                    d = next
                } else {
                    let stop = min(next, end)
                    while d < stop {
                        days.append(d)
                        d += 1
                    }
                }
            }
        }
    }
}
