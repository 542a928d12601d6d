namespace Alice.Dispatch.Storage;

/// <summary>
/// SQL that keeps stored times (unix seconds) to the hour they fell in: what is kept of a ride's times
/// once it has ended, so they cannot be lined up with the telephony provider's call log.
/// </summary>
internal static class Hours
{
    /// <summary>The SET list that moves each column to the start of its hour (NULL stays NULL).</summary>
    public static string Coarsen(IEnumerable<string> columns) => string.Join(", ", columns.Select(c => $"{c} = {c} - {c} % 3600"));

    /// <summary>A condition true while any of the columns is finer than its hour, so a row is changed once only.</summary>
    public static string AnyFiner(IEnumerable<string> columns) => "(" + string.Join(" OR ", columns.Select(c => $"{c} % 3600 <> 0")) + ")";
}
