namespace Alice.Dispatch.Partners;

internal static class PartnersExtensions
{
    /// <summary>Partner API v1: the client that books and cancels, the events endpoint, and the partners' ledger; the offers on a console partner's page.</summary>
    public static IServiceCollection AddPartners(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PartnerOptions, PartnerOptions.Validator>(configuration, PartnerOptions.Section);
        services.AddHttpClient(PartnerClient.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan); // the pipeline times each attempt
        services.AddSingleton<PartnerClient>();
        services.AddSingleton<PartnerFailureLog>();
        services.AddSingleton<PartnerLedger>();
        services.AddSingleton<ConsoleOffers>();
        services.AddSingleton<DispatchPhone>();
        return services;
    }
}
