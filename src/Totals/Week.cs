using System.Globalization;

namespace Alice.Totals;

/// <summary>
/// An ISO 8601 week (Monday to Sunday, in Brussels time), the finest period any total is kept by. Months
/// and years are made of whole weeks: a week belongs to the month and the year of its Thursday, as ISO
/// 8601 assigns weeks to years, so every week is in exactly one month and a month's total is the sum of
/// its weeks.
/// </summary>
public readonly record struct Week(int Year, int Number) : IComparable<Week>
{
    /// <summary>The centre's calendar and clock (Brussels): weeks, and the times people are shown, are in it.</summary>
    public static readonly TimeZoneInfo Brussels = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");

    /// <summary>An instant on the centre's clock: every time shown to a person is shown as this.</summary>
    public static DateTimeOffset InBrussels(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Brussels);

    /// <summary>The week an instant falls in, by the centre's calendar.</summary>
    public static Week Of(DateTimeOffset at)
    {
        var local = InBrussels(at).DateTime;
        return new Week(ISOWeek.GetYear(local), ISOWeek.GetWeekOfYear(local));
    }

    /// <summary>As stored: <c>2026-W49</c>.</summary>
    public string Key => $"{Year:D4}-W{Number:D2}";

    public override string ToString() => Key;

    public static bool TryParse(string? key, out Week week)
    {
        week = default;
        if (key is not { Length: 8 } || key[4] != '-' || key[5] != 'W') return false;
        if (!int.TryParse(key.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(key.AsSpan(6, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return false;
        if (year is < 2000 or > 9998 || number < 1 || number > ISOWeek.GetWeeksInYear(year)) return false;
        week = new Week(year, number);
        return true;
    }

    public DateOnly Monday => DateOnly.FromDateTime(ISOWeek.ToDateTime(Year, Number, DayOfWeek.Monday));

    public DateOnly Thursday => Monday.AddDays(3);

    /// <summary>The month this week counts in: its Thursday's.</summary>
    public (int Year, int Month) Month => (Thursday.Year, Thursday.Month);

    /// <summary>Every week of an ISO year, in order.</summary>
    public static IEnumerable<Week> InYear(int year) =>
        Enumerable.Range(1, ISOWeek.GetWeeksInYear(year)).Select(n => new Week(year, n));

    public int CompareTo(Week other) => (Year, Number).CompareTo((other.Year, other.Number));
}
