using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace Alice.Accounts;

/// <summary>
/// The pages' common shell, written on the server: no inline script or style (the content security policy
/// forbids both), one stylesheet, readable on a phone. Every value put into a page goes through <see cref="E"/>.
/// </summary>
public static class Html
{
    private static readonly Text Switch = new("Langue", "Taal", "Language");

    /// <summary>Encodes markup characters; letters of every script stay as they are (é, not &amp;#xE9;).</summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    /// <summary>HTML-encodes a value.</summary>
    public static string E(string? value) => Encoder.Encode(value ?? "");

    /// <param name="query">The page's own query (<c>?campus=…</c>), kept by the language links so switching language stays on the same page.</param>
    public static IResult Page(string language, string title, string body, int status = 200, string? script = null, string? query = null) =>
        Results.Content($$"""
            <!doctype html>
            <html lang="{{language}}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{E(title)}} · Alice</title>
            <link rel="stylesheet" href="/assets/alice.css">
            {{(script is null ? "" : $"<script src=\"{E(script)}\" defer></script>")}}
            </head>
            <body>
            <header><span class="brand">Alice</span><nav aria-label="{{Switch.In(language)}}">{{string.Join(" ", PageLanguage.All.Select(l =>
                l == language ? $"<strong>{l.ToUpperInvariant()}</strong>" : $"<a href=\"{E(query is null ? "?" : query + "&")}lang={l}\">{l.ToUpperInvariant()}</a>"))}}</nav></header>
            <main>
            {{body}}
            </main>
            </body>
            </html>
            """, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);

    /// <summary>An antiforgery field for a form; every form carries one and every post is checked.</summary>
    public static string Antiforgery(Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery, HttpContext http)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\">";
    }

    public static string Error(string? message) => message is null ? "" : $"<p class=\"error\" role=\"alert\">{E(message)}</p>";
}
