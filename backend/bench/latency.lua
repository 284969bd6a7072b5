-- wrk script: optional rotation over paths (BENCH_PATHS file, one per line) and a JSON summary.
local paths = {}
local idx = 0
local file = os.getenv("BENCH_PATHS")
if file then
  for line in io.lines(file) do table.insert(paths, line) end
end

request = function()
  if #paths > 0 then
    idx = (idx % #paths) + 1
    return wrk.format(nil, paths[idx])
  end
  return wrk.format()
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"rps":%.1f,"p50_ms":%.2f,"p95_ms":%.2f,"p99_ms":%.2f,"errors":%d,"non2xx":%d}\n',
    summary.requests, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
