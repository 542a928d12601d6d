using Alice.Dispatch.Privacy;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Campuses;

/// <summary>The campuses the hotline serves, where their rides go, and who answers when a person must.</summary>
internal sealed class HotlineOptions
{
    public const string Section = "Hotline";

    /// <summary>Where every ride goes: the sexual-violence care centre (CPVS).</summary>
    public DestinationPlace Destination { get; set; } = new();

    /// <summary>A staffed line reached when a call comes in on a number no campus is configured with.</summary>
    public string FallbackNumber { get; set; } = "";

    public List<Campus> Campuses { get; set; } = [];

    internal class Place
    {
        public string Name { get; set; } = "";
        public string Address { get; set; } = "";
        public double Lat { get; set; }
        public double Lng { get; set; }
    }

    internal sealed class DestinationPlace : Place
    {
        /// <summary>
        /// What the taxi partner is told the destination is called: the hospital, never the centre (the
        /// driver needs the door, not what happens behind it). <see cref="Place.Name"/> is for the police.
        /// </summary>
        public string PartnerName { get; set; } = "";
    }

    internal sealed class Campus
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        /// <summary>The hotline number of this campus, as Twilio sends it in <c>To</c> (E.164).</summary>
        public string HotlineNumber { get; set; } = "";
        /// <summary>A staffed line for "somewhere else" and for callers the menu could not help.</summary>
        public string HumanNumber { get; set; } = "";
        /// <summary>The campus's on-call phone: every alert reaches it by SMS and/or a call (E.164).</summary>
        public string OnCallNumber { get; set; } = "";
        /// <summary>Reached when nobody acknowledges an alert in the console in time (E.164, another phone than the on-call one).</summary>
        public string EscalationNumber { get; set; } = "";
        /// <summary>One key each, in order: key 1 is the first point. At most nine.</summary>
        public List<PickupPoint> PickupPoints { get; set; } = [];

        /// <summary>The point a ride was made from, by its id; null if it is no longer configured.</summary>
        public PickupPoint? PickupPoint(string id) => PickupPoints.FirstOrDefault(p => p.Id == id);
    }

    internal sealed class PickupPoint
    {
        public string Id { get; set; } = "";
        /// <summary>The name spoken to the caller, per language code (fr, nl, en).</summary>
        public Dictionary<string, string> Names { get; set; } = [];
        public string Address { get; set; } = "";
        public double Lat { get; set; }
        public double Lng { get; set; }
        /// <summary>For the driver: where exactly to stop.</summary>
        public string Instructions { get; set; } = "";
    }

    internal sealed class Validator(IHostEnvironment environment) : IValidateOptions<HotlineOptions>
    {
        public ValidateOptionsResult Validate(string? name, HotlineOptions o)
        {
            var errors = new List<string>();
            if (string.IsNullOrWhiteSpace(o.Destination.Name) || string.IsNullOrWhiteSpace(o.Destination.Address) || string.IsNullOrWhiteSpace(o.Destination.PartnerName))
                errors.Add("Hotline:Destination needs a Name, a PartnerName (what the taxi partner sees) and an Address.");
            foreach (var (setting, text) in PartnerSees(o))
                if (RevealingWords.In(text) is { } word)
                    errors.Add($"{setting} is sent to the taxi partner and must not say what the ride is for (it says '{word}').");
            if (!PhoneNumbers.IsE164(o.FallbackNumber))
                errors.Add("Hotline:FallbackNumber must be a phone number in E.164 form (+32...).");
            if (o.Campuses.Count == 0)
                errors.Add("Hotline:Campuses must list at least one campus.");
            if (o.Campuses.GroupBy(c => c.HotlineNumber).Any(g => g.Count() > 1))
                errors.Add("Hotline:Campuses: two campuses share a HotlineNumber.");
            foreach (var c in o.Campuses)
            {
                var at = $"Hotline:Campuses[{c.Id}]";
                if (string.IsNullOrWhiteSpace(c.Id)) errors.Add("Every campus needs an Id.");
                if (!PhoneNumbers.IsE164(c.HotlineNumber)) errors.Add($"{at}:HotlineNumber must be E.164 (+32...).");
                if (!PhoneNumbers.IsE164(c.HumanNumber)) errors.Add($"{at}:HumanNumber must be E.164 (+32...).");
                if (!PhoneNumbers.IsE164(c.OnCallNumber)) errors.Add($"{at}:OnCallNumber must be E.164 (+32...): alerts reach it.");
                if (!PhoneNumbers.IsE164(c.EscalationNumber) || c.EscalationNumber == c.OnCallNumber)
                    errors.Add($"{at}:EscalationNumber must be E.164 (+32...) and another phone than OnCallNumber.");
                if (c.PickupPoints.Count is 0 or > 9) errors.Add($"{at}:PickupPoints must list one to nine points (keys 1-9).");
                if (c.PickupPoints.Select(p => p.Id).Distinct().Count() != c.PickupPoints.Count)
                    errors.Add($"{at}:PickupPoints ids must be unique.");
                foreach (var p in c.PickupPoints)
                {
                    if (string.IsNullOrWhiteSpace(p.Id)) errors.Add($"{at}: a pickup point has no Id.");
                    foreach (var language in Languages.All)
                        if (string.IsNullOrWhiteSpace(p.Names.GetValueOrDefault(language.Code)))
                            errors.Add($"{at}:PickupPoints[{p.Id}]:Names:{language.Code} is missing.");
                    if (string.IsNullOrWhiteSpace(p.Address)) errors.Add($"{at}:PickupPoints[{p.Id}]:Address is missing.");
                    if (p.Lat is < -90 or > 90 || p.Lng is < -180 or > 180)
                        errors.Add($"{at}:PickupPoints[{p.Id}] has coordinates out of range.");
                }
            }
            if (!environment.IsDevelopment())
            {
                errors.AddRange(Numbers(o).Where(n => PlaceholderNumbers.In(n.Number)).Select(n => PlaceholderNumbers.Refusal(n.Setting)));
                errors.AddRange(ToConfirm(o).Select(setting => $"{setting} is the placeholder the project ships (\"{ShippedToConfirm}\"): " +
                    $"outside Development check the point's Address, Lat and Lng on the spot and set the driver's instructions ({setting.Replace(":", "__")})."));
            }
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }

        /// <summary>Every configured text a booking carries to the partner, with the setting it comes from.</summary>
        private static IEnumerable<(string Setting, string Text)> PartnerSees(HotlineOptions o)
        {
            yield return ("Hotline:Destination:PartnerName", o.Destination.PartnerName);
            yield return ("Hotline:Destination:Address", o.Destination.Address);
            foreach (var c in o.Campuses)
                foreach (var p in c.PickupPoints)
                {
                    var at = $"Hotline:Campuses[{c.Id}]:PickupPoints[{p.Id}]";
                    yield return ($"{at}:Names:fr", p.Names.GetValueOrDefault(Languages.French.Code) ?? "");
                    yield return ($"{at}:Address", p.Address);
                    yield return ($"{at}:Instructions", p.Instructions);
                }
        }

        /// <summary>
        /// The shipped pickup points' instructions say their coordinates are approximate, for the operator to
        /// confirm: the partner's driver reads them, so a booking must never carry one.
        /// </summary>
        private const string ShippedToConfirm = "operator to confirm";

        /// <summary>The settings (by index, as the environment sets them) whose text still holds the shipped marker.</summary>
        private static IEnumerable<string> ToConfirm(HotlineOptions o) =>
            o.Campuses.SelectMany((c, i) => c.PickupPoints.Select((p, j) => (Setting: $"Hotline:Campuses:{i}:PickupPoints:{j}:Instructions", p.Instructions)))
                .Where(p => p.Instructions.Contains(ShippedToConfirm, StringComparison.OrdinalIgnoreCase)).Select(p => p.Setting);

        /// <summary>Every number the hotline dials or sends from, by its setting (campuses by index, as the environment sets them).</summary>
        private static IEnumerable<(string Setting, string Number)> Numbers(HotlineOptions o) =>
            o.Campuses.SelectMany((c, i) => new[]
            {
                ($"Hotline:Campuses:{i}:HotlineNumber", c.HotlineNumber), ($"Hotline:Campuses:{i}:HumanNumber", c.HumanNumber),
                ($"Hotline:Campuses:{i}:OnCallNumber", c.OnCallNumber), ($"Hotline:Campuses:{i}:EscalationNumber", c.EscalationNumber),
            }).Prepend(("Hotline:FallbackNumber", o.FallbackNumber));
    }
}
