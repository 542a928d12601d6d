using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Alice.Web;

/// <summary>
/// What a page shows, all of it read before the page is rendered: the page (a Razor component with one
/// parameter, <c>Model</c>) only lays it out, and every value it puts in the markup is encoded by the renderer.
/// </summary>
/// <remarks>It names the page a model is shown with, so <see cref="PageModels.Show"/> renders it typed.</remarks>
public interface IPageModel<TPage> where TPage : IComponent;

public static class PageModels
{
    /// <summary>The page for this model, rendered on the server, with the status it is answered with.</summary>
    public static RazorComponentResult<TPage> Show<TPage>(this IPageModel<TPage> model, int status = 200) where TPage : IComponent =>
        new(new Dictionary<string, object?> { ["Model"] = model }) { StatusCode = status };
}
