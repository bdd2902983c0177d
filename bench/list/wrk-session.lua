-- wrk script for the list page: every request carries the session cookie of a user
-- who signed in beforehand (IV_COOKIE, see login.sh), and the run ends with one line
-- of JSON that run.py reads.
--   IV_COOKIE=... wrk -t2 -c16 -d20s -s bench/list/wrk-session.lua 'http://…/interventions/?q=…'
wrk.headers["Cookie"] = "iv_session=" .. (os.getenv("IV_COOKIE") or "")

-- No response() callback: it would run Lua for every response and slow wrk down.
-- wrk counts statuses >= 400 as errors (non_2xx); run.py checks beforehand, with
-- curl, that the URL answers 200 with the table (not a redirect to the login page).

done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        'WRK_JSON {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.3f, ' ..
        '"p90_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, "socket_errors": %d, "non_2xx": %d}\n',
        summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(90) / 1000,
        latency:percentile(99) / 1000, latency.max / 1000,
        e.connect + e.read + e.write + e.timeout, e.status))
end
