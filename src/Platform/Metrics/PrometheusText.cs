using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace DevPlatform.Metrics;

/// <summary>
/// Collects one meter's instruments (counters summed, histograms bucketed, observable gauges read at scrape) and
/// writes them in the Prometheus text exposition format 0.0.4: <c>devplatform.job.runs</c> becomes
/// <c>devplatform_job_runs_total</c>, a unit of <c>s</c> adds <c>_seconds</c>, <c>USD</c> adds <c>_usd</c>.
/// </summary>
internal sealed class PrometheusText : IDisposable
{
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
    private readonly MeterListener listener = new();
    private readonly Dictionary<Instrument, Family> families = [];
    private readonly Lock gate = new();

    public PrometheusText(Meter meter)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                lock (gate)
                {
                    families[instrument] = new Family(instrument);
                }

                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Record(i, value, tags));
        listener.Start();
    }

    /// <summary>Reads the gauges now and writes every family.</summary>
    public string Write()
    {
        lock (gate)
        {
            foreach (var family in families.Values.Where(f => f.IsGauge))
            {
                family.Series.Clear(); // a gauge shows only what its callback reports now
            }
        }

        listener.RecordObservableInstruments();
        var text = new StringBuilder();
        lock (gate)
        {
            foreach (var family in families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                family.Write(text);
            }
        }

        return text.ToString();
    }

    public void Dispose() => listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        lock (gate)
        {
            if (families.TryGetValue(instrument, out var family))
            {
                family.Add(labels, value);
            }
        }
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }

        var pairs = new List<string>(tags.Length);
        foreach (var (key, value) in tags)
        {
            pairs.Add($"{key.Replace('.', '_')}=\"{Escape(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")}\"");
        }

        pairs.Sort(StringComparer.Ordinal);
        return string.Join(',', pairs);
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);

    private sealed class Family(Instrument instrument)
    {
        public Dictionary<string, Series> Series { get; } = new(StringComparer.Ordinal);

        public bool IsGauge { get; } = Is(instrument, typeof(ObservableGauge<>));

        private bool IsHistogram { get; } = Is(instrument, typeof(Histogram<>));

        private bool IsCounter => !IsGauge && !IsHistogram;

        public string Name { get; } = instrument.Name.Replace('.', '_') + instrument.Unit switch
        {
            "s" => "_seconds",
            "USD" => "_usd",
            "By" => "_bytes",
            _ => "",
        };

        public void Add(string labels, double value)
        {
            if (!Series.TryGetValue(labels, out var series))
            {
                Series[labels] = series = new Series(IsHistogram ? new long[Buckets.Length] : null);
            }

            if (IsGauge)
            {
                series.Value = value;
                return;
            }

            series.Value += value;
            series.Count++;
            if (series.Buckets is { } buckets)
            {
                for (var i = 0; i < Buckets.Length; i++)
                {
                    if (value <= Buckets[i])
                    {
                        buckets[i]++;
                    }
                }
            }
        }

        public void Write(StringBuilder text)
        {
            var name = IsCounter ? Name + "_total" : Name;
            text.Append("# HELP ").Append(name).Append(' ').Append(instrument.Description?.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(IsGauge ? "gauge" : IsHistogram ? "histogram" : "counter").Append('\n');
            foreach (var (labels, series) in Series.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                if (series.Buckets is { } buckets)
                {
                    for (var i = 0; i < Buckets.Length; i++)
                    {
                        Sample(text, name + "_bucket", Join(labels, $"le=\"{Number(Buckets[i])}\""), buckets[i]);
                    }

                    Sample(text, name + "_bucket", Join(labels, "le=\"+Inf\""), series.Count);
                    Sample(text, name + "_sum", labels, series.Value);
                    Sample(text, name + "_count", labels, series.Count);
                }
                else
                {
                    Sample(text, name, labels, series.Value);
                }
            }
        }

        private static bool Is(Instrument instrument, Type kind) => instrument.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == kind;

        private static string Join(string labels, string extra) => labels.Length == 0 ? extra : $"{labels},{extra}";

        private static void Sample(StringBuilder text, string name, string labels, double value)
        {
            text.Append(name);
            if (labels.Length > 0)
            {
                text.Append('{').Append(labels).Append('}');
            }

            text.Append(' ').Append(Number(value)).Append('\n');
        }
    }

    private sealed class Series(long[]? buckets)
    {
        public double Value { get; set; }

        public long Count { get; set; }

        public long[]? Buckets { get; } = buckets;
    }
}
