using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace MnistEvents.KubernetesTests.Support;

/// <summary>
/// KubernetesClient's models mark the API's required fields with C#'s <c>required</c>; the YAML loader does not
/// enforce it, so this walks a loaded object and names every required field left empty.
/// </summary>
public static class RequiredFields
{
    public static IEnumerable<string> Missing(object root, string path = "")
    {
        foreach (var property in root.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0) continue;
            var value = property.GetValue(root);
            var here = $"{path}.{property.Name}";
            if (value is null)
            {
                if (property.GetCustomAttribute<RequiredMemberAttribute>() is not null) yield return here;
                continue;
            }
            if (value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !IsModel(value.GetType()) && value is not IEnumerable) continue;
            if (value is IDictionary) continue;
            if (value is IEnumerable items)
            {
                var i = 0;
                foreach (var item in items)
                {
                    if (item is not null && IsModel(item.GetType()))
                        foreach (var missing in Missing(item, $"{here}[{i}]")) yield return missing;
                    i++;
                }
                continue;
            }
            foreach (var missing in Missing(value, here)) yield return missing;
        }
    }

    private static bool IsModel(Type type) => type.Namespace is "k8s.Models" or "MnistEvents.KubernetesTests.Support";
}
