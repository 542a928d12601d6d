using Alice.Accounts;
using Alice.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Alice.Admin.Totals;

internal static class TotalsEndpoints
{
    public static IServiceCollection AddTotals(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DisclosureOptions>().Bind(configuration.GetSection(DisclosureOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DisclosureOptions>, DisclosureOptions.Validator>();
        services.AddSingleton<FiguresReader>();
        return CampusName.AddCampusNames(services, configuration);
    }

    /// <summary>
    /// <c>/totals</c> (the page), <c>/totals.csv</c> (its table as CSV) and <c>/totals/report</c> (the same,
    /// to print), each with <c>campus</c> (an id, or <c>all</c>), <c>by</c> (week, month, year) and <c>year</c>.
    /// Organisers and operators only.
    /// </summary>
    public static IEndpointRouteBuilder MapTotalsEndpoints(this IEndpointRouteBuilder app)
    {
        var totals = app.MapGroup("").RequireAuthorization(Roles.Organiser).AsStaffPages();
        totals.MapGet("/totals", (HttpContext http, FiguresReader reader, IOptions<DisclosureOptions> o, IOptions<List<CampusName>> names, TimeProvider clock, CancellationToken ct) =>
            PageAsync(http, reader, o.Value.Threshold, names.Value, clock, forPrint: false, ct));
        totals.MapGet("/totals/report", (HttpContext http, FiguresReader reader, IOptions<DisclosureOptions> o, IOptions<List<CampusName>> names, TimeProvider clock, CancellationToken ct) =>
            PageAsync(http, reader, o.Value.Threshold, names.Value, clock, forPrint: true, ct));
        totals.MapGet("/totals.csv", async (HttpContext http, FiguresReader reader, IOptions<DisclosureOptions> o, TimeProvider clock, CancellationToken ct) =>
        {
            var language = PageLanguage.Of(http);
            if (await reader.ReadAsync(ct) is not { } figures) return Unavailable(http, language);
            if (Parse(http, figures, clock) is not { } query) return Results.Problem(statusCode: 400, title: TotalsTexts.WrongQuery.In(language));
            var csv = TotalsContent.Csv(TotalsTable.For(query, figures, o.Value.Threshold, language), language);
            var name = $"alice-{query.Campus}-{query.By.ToString().ToLowerInvariant()}-{query.Year}.csv";
            return Results.File(System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(csv)).ToArray(), "text/csv; charset=utf-8", name);
        });
        return app;
    }

    private static async Task<Results<RazorComponentResult<TotalsPage>, RazorComponentResult<WrongQueryPage>, RazorComponentResult<UnavailablePage>>> PageAsync(HttpContext http,
        FiguresReader reader, int threshold, IReadOnlyList<CampusName> names, TimeProvider clock, bool forPrint, CancellationToken ct)
    {
        var language = PageLanguage.Of(http);
        if (await reader.ReadAsync(ct) is not { } figures) return Unavailable(http, language);
        if (Parse(http, figures, clock) is not { } query) return new WrongQueryModel(language).Show(400);
        var table = TotalsTable.For(query, figures, threshold, language);
        var page = new TotalsContent.PageOf(language, forPrint, ShowsAccounts: http.User.IsInRole(Roles.Operator), names, clock.GetUtcNow());
        return TotalsContent.Model(query, figures, table, threshold, page).Show();
    }

    /// <summary>A page, not raw JSON, for a browser that asked for figures not readable yet; worth asking again in half a minute.</summary>
    private static RazorComponentResult<UnavailablePage> Unavailable(HttpContext http, string language)
    {
        http.Response.Headers.RetryAfter = "30";
        return new UnavailableModel(language).Show(503);
    }

    private static TotalsQuery? Parse(HttpContext http, Figures figures, TimeProvider clock)
    {
        var q = http.Request.Query;
        return TotalsQuery.Parse(q["campus"], q["by"], q["year"], figures, Alice.Totals.Week.Of(clock.GetUtcNow()).Year);
    }
}
