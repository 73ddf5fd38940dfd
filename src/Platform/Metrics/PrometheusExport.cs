using System.Diagnostics.Metrics;
using Prometheus;

namespace DevPlatform.Metrics;

/// <summary>
/// Our meter's instruments as prometheus-net collectors in this host's own registry (two hosts in one process keep
/// apart); prometheus-net writes the exposition (text 0.0.4 or OpenMetrics, as the scraper asks). The instruments stay
/// System.Diagnostics.Metrics, so the OTLP exporter reads the same ones. Names are kept as Prometheus has always seen
/// them: <c>devplatform.job.runs</c> becomes <c>devplatform_job_runs_total</c>, a unit of <c>s</c> adds <c>_seconds</c>,
/// <c>USD</c> <c>_usd</c>, <c>By</c> <c>_bytes</c>; tag names become label names (dots to underscores, sorted).
/// prometheus-net's own MeterAdapter would name them <c>{meter}_{instrument}</c> without units and turn counters into
/// gauges, which the rules and dashboards do not expect.
/// </summary>
internal sealed class PrometheusExport : IDisposable
{
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
    private readonly MeterListener listener = new();
    private readonly MetricFactory factory;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Instrument, Collector> collectors = new();
    private readonly Lock gate = new();

    public PrometheusExport(PlatformMetrics metrics)
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter) && metrics.LabelNames.TryGetValue(instrument, out var labels))
            {
                lock (gate)
                {
                    collectors[instrument] = Create(instrument, labels);
                }

                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Record(i, value, tags));
        listener.Start();
        Registry.AddBeforeCollectCallback(ReadGauges);
    }

    public CollectorRegistry Registry { get; }

    public void Dispose() => listener.Dispose();

    /// <summary>A gauge shows only what its callback reports now: earlier series (a stopped environment's idle time) go.</summary>
    private void ReadGauges()
    {
        lock (gate)
        {
            foreach (var gauge in collectors.Values.OfType<Gauge>())
            {
                foreach (var labels in gauge.GetAllLabelValues().ToList())
                {
                    gauge.RemoveLabelled(labels);
                }
            }

            listener.RecordObservableInstruments();
        }
    }

    /// <summary>One measurement (every proxied request makes one): no lock, and nothing allocated but the label values.</summary>
    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!collectors.TryGetValue(instrument, out var collector) || collector.LabelNames.Length != tags.Length)
        {
            return; // tags other than the declared ones are a bug: dropped, not a family Prometheus was never told of
        }

        var values = new string[tags.Length];
        foreach (var (key, tag) in tags)
        {
            var index = LabelIndex(collector.LabelNames, key);
            if (index < 0 || values[index] is not null)
            {
                return;
            }

            values[index] = Convert.ToString(tag, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }

        switch (collector)
        {
            case Counter counter:
                counter.WithLabels(values).Inc(value);
                break;
            case Histogram histogram:
                histogram.WithLabels(values).Observe(value);
                break;
            case Gauge gauge:
                gauge.WithLabels(values).Set(value); // only while ReadGauges holds the gate (observable instruments)
                break;
        }
    }

    private static int LabelIndex(string[] labels, string tag)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            if (IsLabelOf(labels[i], tag))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether a label name is a tag's name with its dots as underscores.</summary>
    private static bool IsLabelOf(string label, string tag)
    {
        if (label.Length != tag.Length)
        {
            return false;
        }

        for (var i = 0; i < label.Length; i++)
        {
            if (label[i] != (tag[i] == '.' ? '_' : tag[i]))
            {
                return false;
            }
        }

        return true;
    }

    private Collector Create(Instrument instrument, string[] labelNames)
    {
        var name = instrument.Name.Replace('.', '_') + instrument.Unit switch
        {
            "s" => "_seconds",
            "USD" => "_usd",
            "By" => "_bytes",
            _ => "",
        };
        var help = instrument.Description ?? name;
        var kind = instrument.GetType().GetGenericTypeDefinition();
        return kind == typeof(ObservableGauge<>) ? factory.CreateGauge(name, help, labelNames)
            : kind == typeof(Histogram<>) ? factory.CreateHistogram(name, help, labelNames, new HistogramConfiguration { Buckets = Buckets })
            : factory.CreateCounter(name + "_total", help, labelNames);
    }
}
