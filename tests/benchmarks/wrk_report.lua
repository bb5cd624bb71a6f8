-- Used by tests/benchmarks/load.py: prints one JSON line with the figures, counts
-- statuses, and (for POST runs) sends each request from another client address, as
-- nginx would report many residents behind one proxy.
local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  ok, redirects, bad = 0, 0, 0
  n = 0
  post_body = os.getenv("WRK_BODY")
  cookie = os.getenv("WRK_COOKIE")
end

function request()
  n = n + 1
  local headers = {}
  if cookie then headers["Cookie"] = cookie end
  if post_body then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", id % 256, math.floor(n / 256) % 256, n % 256)
    return wrk.format("POST", nil, headers, post_body)
  end
  return wrk.format(nil, nil, headers)
end

function response(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1
  elseif status >= 300 and status < 400 then redirects = redirects + 1
  else bad = bad + 1 end
end

function done(summary, latency, requests)
  local o, r, b = 0, 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok"); r = r + t:get("redirects"); b = b + t:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "ok": %d, "redirects": %d, "bad_status": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), o, r, b,
    e.connect + e.read + e.write + e.timeout))
end
