using System.Reflection;
using Alice.Accounts;
using Alice.Web;
using Microsoft.AspNetCore.Components;

namespace Alice.Dispatch.Tests;

/// <summary>
/// Every page model names its page (<see cref="IPageModel{TPage}"/>), and that page takes exactly that model as
/// its <c>Model</c> parameter: a page shown with the wrong model would fail only when someone opened it.
/// </summary>
public class PageModelTests
{
    [Theory]
    [InlineData(typeof(AccountService))] // Alice.Accounts: the login, enrolment and account pages
    [InlineData(typeof(DispatchHost))] // Alice.Dispatch: the centre console
    public void Every_page_model_is_the_Model_parameter_of_the_page_it_names(Type inAssembly)
    {
        var models = PageModelsIn(inAssembly.Assembly);
        Assert.NotEmpty(models);
        foreach (var (model, page) in models)
        {
            var parameter = page.GetProperty("Model");
            Assert.True(parameter?.GetCustomAttribute<ParameterAttribute>() is not null, $"{page.Name} has no Model parameter");
            Assert.True(parameter!.PropertyType == model, $"{page.Name}'s Model is a {parameter.PropertyType.Name}, not the {model.Name} that names it");
        }
    }

    private static List<(Type Model, Type Page)> PageModelsIn(Assembly assembly) =>
        [.. assembly.GetTypes().SelectMany(t => t.GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IPageModel<>))
            .Select(i => (t, i.GetGenericArguments()[0])))];
}
