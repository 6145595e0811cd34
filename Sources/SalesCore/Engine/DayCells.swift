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

    /// Adds the sums of `[start, end)` to `acc`.
    func sum(_ start: Day, _ end: Day, into acc: inout MeasureVector) {
        let s = max(start, firstDay)
        let e = min(end, lastDay)
        guard s < e else { return }
        let w = Self.width
        acc.values.withUnsafeMutableBufferPointer { out in
            dayRows.withUnsafeBufferPointer { days in
                monthRows.withUnsafeBufferPointer { months in
                    var d = s
                    while d < e {
                        let m = CivilDate(d).monthIndex
                        let mStart = CivilDate.firstDay(ofMonthIndex: m)
                        let mEnd = CivilDate.firstDay(ofMonthIndex: m + 1)
                        if d == mStart && mEnd <= e {
                            let base = Int(m - firstMonth) * w
                            for i in 0..<w { out[i] &+= months[base + i] }
                            d = mEnd
                        } else {
                            let stop = min(mEnd, e)
                            while d < stop {
                                let base = Int(d - firstDay) * w
                                for i in 0..<w { out[i] &+= days[base + i] }
                                d += 1
                            }
                        }
                    }
                }
            }
        }
    }
}
