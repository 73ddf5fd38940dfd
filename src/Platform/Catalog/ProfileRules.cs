using System.Text.RegularExpressions;
using DevPlatform.Validation;

namespace DevPlatform.Catalog;

/// <summary>The rules a profile's images, custom-image pattern, bundles, sizes and timeout follow.</summary>
internal static class ProfileRules
{
    public const int MinStartTimeoutSeconds = 5;
    public const int MaxStartTimeoutSeconds = 3600;
    public const int MaxIdleTimeoutMinutes = 7 * 24 * 60;
    public const int MaxAgeHoursLimit = 365 * 24;
    private const int MaxPackagesPerBundle = 200;

    public static void Check(ProfileSpec spec, ValidationErrors errors)
    {
        errors.CheckText("displayName", spec.DisplayName, 200);
        errors.CheckText("description", spec.Description, 2000);
        CheckImages(spec, errors);
        CheckBundles(spec.Bundles ?? [], errors);
        CheckSizes(spec.Sizes, errors);
        CheckCommand(spec, errors);
        CheckIdentityVariables(spec, errors);
        if (spec.StartTimeoutSeconds is < MinStartTimeoutSeconds or > MaxStartTimeoutSeconds)
        {
            errors.Add("startTimeoutSeconds", $"must be between {MinStartTimeoutSeconds} and {MaxStartTimeoutSeconds}; got {spec.StartTimeoutSeconds}.");
        }

        CheckCulling(spec, errors);
    }

    private static void CheckCulling(ProfileSpec spec, ValidationErrors errors)
    {
        if (spec.IdleTimeoutMinutes is < 0 or > MaxIdleTimeoutMinutes)
        {
            errors.Add("idleTimeoutMinutes", $"must be between 0 (never stop idle environments) and {MaxIdleTimeoutMinutes} (a week); got {spec.IdleTimeoutMinutes}.");
        }

        if (spec.MaxAgeHours is < 1 or > MaxAgeHoursLimit)
        {
            errors.Add("maxAgeHours", $"must be between 1 and {MaxAgeHoursLimit} (a year), or left out for no limit; got {spec.MaxAgeHours}.");
        }

        if (spec.IdleCpuFloor is <= 0 or > 1024)
        {
            errors.Add("idleCpuFloor", $"must be more than 0 and at most 1024 cores (e.g. 0.1: an environment using a tenth of a core is busy), or left out; got {spec.IdleCpuFloor}.");
        }
    }

    /// <summary>The allow-list pattern, anchored: it must match the whole reference.</summary>
    public static Regex CustomImageRegex(string pattern) =>
        new($"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    private static void CheckImages(ProfileSpec spec, ValidationErrors errors)
    {
        var images = spec.Images ?? [];
        if (images.Count == 0 && !spec.AllowCustomImage)
        {
            errors.Add("images", "lists no image and allowCustomImage is false, so nothing could be launched; add an image.");
        }

        for (var i = 0; i < images.Count; i++)
        {
            errors.CheckName($"images[{i}].name", images[i].Name);
            errors.CheckImageReference($"images[{i}].reference", images[i].Reference);
            errors.CheckText($"images[{i}].displayName", images[i].DisplayName, 200);
        }

        errors.CheckUnique("images", images, image => image.Name);
        if (images.Count(image => image.Default) > 1)
        {
            errors.Add("images", "marks more than one image as default; mark one.");
        }

        if (spec.AllowCustomImage && string.IsNullOrEmpty(spec.CustomImagePattern))
        {
            errors.Add("customImagePattern", "is required when allowCustomImage is true: a regular expression the whole image reference must match, e.g. 'ghcr\\.io/my-lab/.+'.");
        }
        else if (!spec.AllowCustomImage && spec.CustomImagePattern is not null)
        {
            errors.Add("customImagePattern", "is set but allowCustomImage is false; set allowCustomImage: true or remove the pattern.");
        }
        else if (spec.CustomImagePattern is { } pattern)
        {
            if (pattern.Length > 1000)
            {
                errors.Add("customImagePattern", "is longer than 1000 characters.");
            }
            else
            {
                try
                {
                    _ = CustomImageRegex(pattern);
                }
                catch (ArgumentException e)
                {
                    errors.Add("customImagePattern", $"is not a valid regular expression: {e.Message}");
                }
            }
        }
    }

    private static void CheckBundles(IReadOnlyList<PackageBundle> bundles, ValidationErrors errors)
    {
        for (var i = 0; i < bundles.Count; i++)
        {
            var bundle = bundles[i];
            errors.CheckName($"bundles[{i}].name", bundle.Name);
            errors.CheckText($"bundles[{i}].displayName", bundle.DisplayName, 200);
            if (bundle.Packages.Count is 0 or > MaxPackagesPerBundle)
            {
                errors.Add($"bundles[{i}].packages", $"must list between 1 and {MaxPackagesPerBundle} packages.");
            }

            for (var j = 0; j < bundle.Packages.Count; j++)
            {
                var package = bundle.Packages[j] ?? string.Empty;
                var valid = bundle.Manager == PackageManager.Pip ? PackageSpec.IsValidPip(package) : PackageSpec.IsValidConda(package);
                if (!valid)
                {
                    errors.Add($"bundles[{i}].packages[{j}]", bundle.Manager == PackageManager.Pip
                        ? $"'{NameRules.Shorten(package)}' is not a pip requirement we accept: a name with optional [extras] and version constraints, no spaces, e.g. 'pandas>=2.1,<3' or 'xarray[io]==2024.1.0' (no URLs, paths, options or markers)."
                        : $"'{NameRules.Shorten(package)}' is not a conda match spec we accept: [channel::]name with optional version and build, no spaces, e.g. 'conda-forge::numpy>=1.26' or 'scipy=1.11'.");
                }
            }
        }

        errors.CheckUnique("bundles", bundles, bundle => bundle.Name);
    }

    private static void CheckCommand(ProfileSpec spec, ValidationErrors errors)
    {
        var command = spec.Command ?? [];
        if (spec.Kind == ProfileKind.Custom && command.Count == 0)
        {
            errors.Add("command", "is required for kind 'custom': the program and its arguments, e.g. [\"python3\", \"-m\", \"http.server\", \"{port}\"].");
        }

        if (command.Count > 100)
        {
            errors.Add("command", "has more than 100 arguments.");
        }

        for (var i = 0; i < command.Count; i++)
        {
            if (string.IsNullOrEmpty(command[i]) || command[i].Length > 1000 || command[i].Contains('\0', StringComparison.Ordinal))
            {
                errors.Add($"command[{i}]", "must be a non-empty argument of at most 1000 characters (each element is one argument; no shell is involved).");
            }
        }
    }

    private static void CheckIdentityVariables(ProfileSpec spec, ValidationErrors errors)
    {
        var names = spec.IdentityVariables ?? [];
        for (var i = 0; i < names.Count; i++)
        {
            if (!Identity.IdentityEnvironment.Known.Contains(names[i]))
            {
                errors.Add($"identityVariables[{i}]", $"'{NameRules.Shorten(names[i] ?? string.Empty)}' is not a sign-in variable; use {string.Join(", ", Identity.IdentityEnvironment.Known)}.");
            }
        }

        errors.CheckUnique("identityVariables", names, n => n);
    }

    private static void CheckSizes(IReadOnlyList<ProfileSize> sizes, ValidationErrors errors)
    {
        if (sizes.Count == 0)
        {
            errors.Add("sizes", "must list at least one size.");
        }

        for (var i = 0; i < sizes.Count; i++)
        {
            var size = sizes[i];
            var at = $"sizes[{i}]";
            errors.CheckName($"{at}.name", size.Name);
            errors.CheckText($"{at}.displayName", size.DisplayName, 200);
            var cpuRequest = errors.CheckQuantity($"{at}.cpuRequest", size.CpuRequest, "500m");
            var cpuLimit = errors.CheckQuantity($"{at}.cpuLimit", size.CpuLimit, "2");
            var memoryRequest = errors.CheckQuantity($"{at}.memoryRequest", size.MemoryRequest, "2Gi");
            var memoryLimit = errors.CheckQuantity($"{at}.memoryLimit", size.MemoryLimit, "4Gi");
            errors.CheckLimitNotBelowRequest($"{at}.cpuLimit", cpuLimit, $"{at}.cpuRequest", cpuRequest);
            errors.CheckLimitNotBelowRequest($"{at}.memoryLimit", memoryLimit, $"{at}.memoryRequest", memoryRequest);
            if (size.Accelerators is < 0 or > 64)
            {
                errors.Add($"{at}.accelerators", $"must be between 0 and 64; got {size.Accelerators}.");
            }
        }

        errors.CheckUnique("sizes", sizes, size => size.Name);
    }
}
