namespace Alice.Dispatch.Tests.Support;

/// <summary>Partner simulators named "first", "second"…, and the service using them in that order, with short budgets.</summary>
public sealed class Fleet : IAsyncDisposable
{
    private Fleet(List<PartnerSimulatorHost> partners, DispatchApp app) => (Partners, App) = (partners, app);

    internal List<PartnerSimulatorHost> Partners { get; }
    internal DispatchApp App { get; }

    internal static async Task<Fleet> StartAsync(int partners, double budgetPerPartnerSeconds = 2, double handOverAfterSeconds = 20, double attemptTimeoutSeconds = 1)
    {
        var hosts = new List<PartnerSimulatorHost>();
        foreach (var name in new[] { "first", "second", "third" }.Take(partners))
        {
            var host = new PartnerSimulatorHost(name);
            await host.InitializeAsync();
            hosts.Add(host);
        }
        var app = new DispatchApp(hosts, settings: new()
        {
            ["Partners:BudgetPerPartnerSeconds"] = budgetPerPartnerSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Partners:HandOverAfterSeconds"] = handOverAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Partners:AttemptTimeoutSeconds"] = attemptTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        app.CreateClient().Dispose();
        return new Fleet(hosts, app);
    }

    /// <summary>Bookings not cancelled, at every partner, for this booking code.</summary>
    internal int LiveBookings(string code) =>
        Partners.Sum(p => p.Bookings.Count(b => b.Reference == code && !b.Cancelled));

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        foreach (var partner in Partners) await partner.DisposeAsync();
    }
}
