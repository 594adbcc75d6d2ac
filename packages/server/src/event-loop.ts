/**
 * How often the event-loop delay histograms sample (`perf_hooks.monitorEventLoopDelay`'s
 * `resolution`), for the signalling thread (prom-client's `nodejs_eventloop_lag_*`) and the media
 * thread (`parley_media_eventloop_lag_*`) alike.
 *
 * The histogram records the time between two firings of a repeating timer, not how late a firing
 * was: an idle loop reports about this interval (p50 ≈ 10.1 ms at 10 ms), and a figure's lateness is
 * the figure minus this. /metrics keeps prom-client's convention and publishes the interval as
 * `parley_eventloop_sample_interval_seconds`, so a reader (the bench, a dashboard) can subtract it.
 */
export const EVENT_LOOP_SAMPLE_MS = 10;
