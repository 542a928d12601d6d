using System.Reflection;
using Alice.Web;
using Microsoft.AspNetCore.Components;

namespace Alice.Admin.Tests;

/// <summary>The panel's pages take exactly the model that names them as their <c>Model</c> parameter (as the service's do).</summary>
public class PageModelTests
{
    [Fact]
    public void Every_page_model_of_the_panel_is_the_Model_parameter_of_the_page_it_names()
    {
        var models = typeof(AdminHost).Assembly.GetTypes().SelectMany(t => t.GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IPageModel<>))
            .Select(i => (Model: t, Page: i.GetGenericArguments()[0]))).ToList();
        Assert.NotEmpty(models);
        foreach (var (model, page) in models)
        {
            var parameter = page.GetProperty("Model");
            Assert.True(parameter?.GetCustomAttribute<ParameterAttribute>() is not null, $"{page.Name} has no Model parameter");
            Assert.True(parameter!.PropertyType == model, $"{page.Name}'s Model is a {parameter.PropertyType.Name}, not the {model.Name} that names it");
        }
    }
}
