using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The Prometheus rules shipped in infra/deploy: one rule for each thing that must wake the operator, each with a
/// pause, a severity and a first step, and every metric they name one the service exports (read from the service's
/// own instruments), so renaming a metric without the rules fails here rather than silently never alerting.
/// </summary>
public class AlertRulesTests
{
    private static readonly string RulesFile = Path.Combine(Repository.Root, "infra", "deploy", "alice-alerts.rules.yml");

    /// <summary>Prometheus's own series, not the service's.</summary>
    private static readonly string[] Prometheus = ["up"];

    private static readonly string[] Keywords = ["and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset"];

    [Fact]
    public void The_shipped_rules_cover_each_outage_with_a_pause_a_severity_and_a_first_step()
    {
        var rules = Rules();
        Assert.Equal(
            ["AliceAlertsUndelivered", "AliceInstanceNotReady", "AliceOperatorEmailFailing", "AlicePartnerFailing", "AliceRidesHandedOver",
             "AliceTwilioDeletionsPilingUp", "AliceTwilioRestFailing"],
            rules.Select(r => Text(r, "alert")).Order());
        foreach (var rule in rules)
        {
            var name = Text(rule, "alert");
            Assert.Matches(@"^\d+[smh]$", Text(rule, "for"));
            Assert.Contains(Text(Map(rule, "labels"), "severity"), new[] { "page", "ticket" });
            var summary = Text(Map(rule, "annotations"), "summary");
            Assert.False(string.IsNullOrWhiteSpace(summary), name);
            Assert.Contains("First", Text(Map(rule, "annotations"), "description"));
            // Labels from fixed sets only: a partner, a reason, an instance; never anything about a ride.
            Assert.DoesNotMatch(@"ride|code|call_?sid|number", string.Join(" ", Regex.Matches(summary, @"\$labels\.(\w+)").Select(m => m.Groups[1].Value)));
        }
    }

    [Fact]
    public void Every_metric_the_rules_name_is_one_the_service_exports()
    {
        var exported = ExportedNames();
        Assert.Contains("alice_partner_attempts_total", exported);
        var named = Rules().SelectMany(r => MetricsIn(Text(r, "expr"))).Distinct().ToList();
        Assert.Contains("alice_twilio_records_waiting", named);

        Assert.All(named, metric => Assert.True(exported.Contains(metric) || Prometheus.Contains(metric),
            $"{metric} is named by {Path.GetFileName(RulesFile)} but the service exports no such metric"));
    }

    /// <summary>The names Prometheus sees for the service's own instruments: dots as underscores, seconds said, counters totalled.</summary>
    private static HashSet<string> ExportedNames()
    {
        var assembly = typeof(Telemetry.DispatchTelemetry).Assembly;
        var names = new HashSet<string>();
        foreach (var type in assembly.GetTypes())
            foreach (var field in type.GetFields(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public))
                if (typeof(Instrument).IsAssignableFrom(field.FieldType) && !type.ContainsGenericParameters && field.GetValue(null) is Instrument instrument)
                    names.UnionWith(Prometheus_(instrument.Name, instrument.Unit, instrument.GetType().GetGenericTypeDefinition()));
        // The one observable gauge, made per service from this name.
        names.UnionWith(Prometheus_(Telemetry.DispatchTelemetry.TwilioRecordsWaiting, "{record}", typeof(ObservableGauge<>)));
        return names;
    }

    private static IEnumerable<string> Prometheus_(string name, string? unit, Type kind)
    {
        var metric = name.Replace('.', '_') + (unit == "s" ? "_seconds" : "");
        if (kind == typeof(Counter<>)) return [metric + "_total"];
        if (kind == typeof(Histogram<>)) return [metric, metric + "_bucket", metric + "_sum", metric + "_count"];
        return [metric];
    }

    /// <summary>The series an expression reads: identifiers that are not functions, keywords, label names or values, nor durations.</summary>
    private static IEnumerable<string> MetricsIn(string expr)
    {
        var bare = Regex.Replace(expr, "\"[^\"]*\"", "");
        bare = Regex.Replace(bare, @"\{[^}]*\}|\[[^\]]*\]", " ");
        bare = Regex.Replace(bare, @"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ");
        foreach (Match m in Regex.Matches(bare, @"(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?"))
            if (!m.Groups[2].Success && !Keywords.Contains(m.Groups[1].Value)) yield return m.Groups[1].Value;
    }

    private static List<YamlMappingNode> Rules()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(RulesFile)) yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents.Single().RootNode;
        return ((YamlSequenceNode)root["groups"]).Cast<YamlMappingNode>()
            .SelectMany(g => ((YamlSequenceNode)g["rules"]).Cast<YamlMappingNode>()).ToList();
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node[key];

    private static string Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value ?? "" : throw new Xunit.Sdk.XunitException($"no {key} in a rule");
}
