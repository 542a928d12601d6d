using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Police;

/// <summary>The police zones the centre may notify, one per campus, and the contact the police call back (<c>Police</c> section).</summary>
internal sealed class PoliceOptions
{
    public const string Section = "Police";

    /// <summary>Whom the police call back: the centre's staffed line, as the message says it (e.g. "CPVS Bruxelles, +32 2 535 45 42").</summary>
    public string CentreContact { get; set; } = "";

    public List<Zone> Zones { get; set; } = [];

    internal sealed class Zone
    {
        /// <summary>The campus (Hotline:Campuses:N:Id) this zone covers.</summary>
        public string Campus { get; set; } = "";
        /// <summary>The zone's name as the console shows it (e.g. "Zone Montgomery").</summary>
        public string Name { get; set; } = "";
        /// <summary>Where the request is posted, signed (X-Alice-Signature): HTTPS (plain http only on loopback).</summary>
        public string WebhookUrl { get; set; } = "";
        /// <summary>The secret shared with the zone for the signature, 32 characters or more.</summary>
        public string Secret { get; set; } = "";
    }

    public Zone? For(string campus) => Zones.FirstOrDefault(z => z.Campus == campus);

    internal sealed class Validator(IOptions<Campuses.HotlineOptions> hotline, IHostEnvironment environment) : IValidateOptions<PoliceOptions>
    {
        public ValidateOptionsResult Validate(string? name, PoliceOptions o)
        {
            var errors = new List<string>();
            if (string.IsNullOrWhiteSpace(o.CentreContact)) errors.Add("Police:CentreContact is required: the police call the centre back there.");
            else if (Campuses.PlaceholderNumbers.In(o.CentreContact) && !environment.IsDevelopment())
                errors.Add(Campuses.PlaceholderNumbers.Refusal("Police:CentreContact"));
            foreach (var campus in hotline.Value.Campuses.Where(c => o.For(c.Id) is null))
                errors.Add($"Police:Zones needs a zone for campus {campus.Id}.");
            foreach (var zone in o.Zones)
            {
                var at = $"Police:Zones[{zone.Campus}]";
                if (string.IsNullOrWhiteSpace(zone.Name)) errors.Add($"{at}:Name is missing.");
                if (!Uri.TryCreate(zone.WebhookUrl, UriKind.Absolute, out var uri) || !(uri.Scheme == "https" || (uri.Scheme == "http" && uri.IsLoopback)))
                    errors.Add($"{at}:WebhookUrl must be an https URL (plain http only on loopback).");
                if (zone.Secret.Length < 32) errors.Add($"{at}:Secret must be at least 32 characters.");
            }
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
