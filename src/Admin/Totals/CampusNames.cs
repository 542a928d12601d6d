namespace Alice.Admin.Totals;

/// <summary>
/// A campus as the pages name it: the <c>Campuses</c> settings, each an <c>Id</c> (as the service publishes its
/// totals) and a <c>Name</c>, in the shape of the service's <c>Hotline:Campuses</c> so one list can serve both.
/// The published totals hold only the id; a campus with no name here is shown by its id.
/// </summary>
internal sealed class CampusName
{
    public const string Section = "Campuses";

    public string Id { get; set; } = "";
    public string Name { get; set; } = "";

    public static IServiceCollection AddCampusNames(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<List<CampusName>>().Bind(configuration.GetSection(Section))
            .Validate(l => l.All(c => c.Id.Length > 0 && c.Name.Length > 0) && l.DistinctBy(c => c.Id).Count() == l.Count,
                "Campuses: each campus needs an Id and a Name, and each Id once.")
            .ValidateOnStart();
        return services;
    }

    /// <summary>The campus's name, or its id when none is set.</summary>
    public static string Of(IReadOnlyList<CampusName> names, string id) => names.FirstOrDefault(c => c.Id == id)?.Name ?? id;
}
