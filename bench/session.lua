--[[
bench/session.lua — the wrk script of `make bench`: signs in like a browser, then
replays one scenario (or a weighted mix of them, for the soak) as that user.

    wrk -t2 -c16 -d20s --latency -s bench/session.lua http://127.0.0.1:PORT/ -- \
        user=secretariat password=demo mount=/interventions requests=FILE \
        sessions=8 threads=2 [stop_after=N stop_file=PATH]

FILE has one request per line, tab-separated: weight, method, path, body ("-" for
none). A body may hold @CSRF@, replaced by the session's form token.

Signing in happens in init(), before the thread's connections open, with a plain
blocking socket (LuaJIT FFI): wrk's own response() hands the headers over as a Lua
table keyed by name, so of the two Set-Cookie headers of the login answer (the new
iv_session, then the cleared login token) it would only show the last. Each thread
opens `sessions` sessions (one per connection it drives) and sends their requests in
turn; wrk's Lua cannot tell which connection asks, but the server cannot tell either.

Every response is checked: a status outside 2xx/3xx, or a redirect to the login page
(session lost), counts as an error. done() prints one line "BENCH_RESULT {json}" with
the latency percentiles, the rate and the errors, which bench/bench.py reads.
]]

local ffi = require("ffi")
ffi.cdef [[
struct iv_sockaddr_in { uint16_t family; uint16_t port; uint32_t addr; char zero[8]; };
int socket(int domain, int type, int protocol);
int connect(int fd, const void *addr, uint32_t len);
long write(int fd, const void *buf, size_t n);
long read(int fd, void *buf, size_t n);
int close(int fd);
int inet_pton(int af, const char *src, void *dst);
uint16_t htons(uint16_t v);
]]
local C = ffi.C
local AF_INET, SOCK_STREAM = 2, 1

-- ------------------------------------------------------------ plain HTTP client

-- Sends one request (Connection: close) and returns status, header text, body.
local function http_raw(host, port, method, path, headers, body)
   local lines = { method .. " " .. path .. " HTTP/1.1", "Host: " .. host .. ":" .. port,
                   "Connection: close", "User-Agent: iv-bench" }
   for name, value in pairs(headers) do lines[#lines + 1] = name .. ": " .. value end
   if body then lines[#lines + 1] = "Content-Length: " .. #body end
   local request = table.concat(lines, "\r\n") .. "\r\n\r\n" .. (body or "")

   local addr = ffi.new("struct iv_sockaddr_in")
   addr.family = AF_INET
   addr.port = C.htons(tonumber(port))
   assert(C.inet_pton(AF_INET, host, ffi.cast("void *", ffi.cast("char *", addr) + 4)) == 1,
          "bench: host must be an IPv4 address: " .. host)
   local fd = C.socket(AF_INET, SOCK_STREAM, 0)
   assert(fd >= 0, "bench: socket() failed")
   if C.connect(fd, addr, ffi.sizeof(addr)) ~= 0 then
      C.close(fd)
      error("bench: cannot connect to " .. host .. ":" .. port)
   end
   local sent = 0
   while sent < #request do
      local n = C.write(fd, ffi.cast("const char *", request) + sent, #request - sent)
      if n <= 0 then C.close(fd); error("bench: write failed") end
      sent = sent + tonumber(n)
   end
   local chunks, buf = {}, ffi.new("char[65536]")
   while true do
      local n = tonumber(C.read(fd, buf, 65536))
      if n <= 0 then break end
      chunks[#chunks + 1] = ffi.string(buf, n)
   end
   C.close(fd)
   local raw = table.concat(chunks)
   local head, rest = raw:match("^(.-)\r\n\r\n(.*)$")
   head = head or raw
   return tonumber(head:match("^HTTP/%d%.%d (%d%d%d)")), head, rest or ""
end

local function cookie_of(head, name)
   for line in head:gmatch("[^\r\n]+") do
      local n, v = line:match("^[Ss]et%-[Cc]ookie:%s*([^=;]+)=([^;]*)")
      if n == name and v ~= "" then return v end
   end
end

local function csrf_of(body)
   return body:match('name="csrf_token"%s+value="([^"]+)"')
       or body:match('value="([^"]+)"%s+name="csrf_token"')
end

local function urlencode(s)
   return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

-- Signs in through the login form; returns the session cookie and, when asked,
-- the form token of signed-in pages. Raises an error with the reason otherwise.
local function sign_in(host, port, mount, user, password, want_csrf)
   local status, head, body = http_raw(host, port, "GET", mount .. "/connexion", {})
   local login_cookie, token = cookie_of(head, "iv_login_csrf"), csrf_of(body)
   if status ~= 200 or not login_cookie or not token then
      error("bench: login form: status " .. tostring(status) .. ", no token")
   end
   local form = "identifiant=" .. urlencode(user) .. "&mot_de_passe=" .. urlencode(password)
                .. "&csrf_token=" .. urlencode(token)
   status, head = http_raw(host, port, "POST", mount .. "/connexion",
                           { ["Cookie"] = "iv_login_csrf=" .. login_cookie,
                             ["Content-Type"] = "application/x-www-form-urlencoded" }, form)
   local session = cookie_of(head, "iv_session")
   if status ~= 303 or not session then
      error("bench: login as " .. user .. ": status " .. tostring(status) .. ", no session")
   end
   local csrf
   if want_csrf then
      status, head, body = http_raw(host, port, "GET", mount .. "/nouvelle",
                                    { ["Cookie"] = "iv_session=" .. session })
      csrf = csrf_of(body)
      if status ~= 200 or not csrf then
         error("bench: no form token on " .. mount .. "/nouvelle (status " .. tostring(status) .. ")")
      end
   end
   return session, csrf
end

-- ------------------------------------------------------------ setup and done

local threads = {}

function setup(thread)
   threads[#threads + 1] = thread
end

-- ------------------------------------------------------------ running (per thread)

local prepared = {}     -- request strings, in the order they are sent
local next_index = 0
stop_after = 0          -- this thread's share of the soak's request count
stop_file = ""
answered = 0
unexpected = 0          -- statuses outside 2xx/3xx, redirects to the login page
first_unexpected = ""
login_error = ""

local function read_requests(file)
   local list = {}
   for line in io.lines(file) do
      local weight, method, path, body = line:match("^(%d+)\t(%u+)\t([^\t]+)\t(.*)$")
      if weight then
         list[#list + 1] = { weight = tonumber(weight), method = method, path = path,
                             body = body ~= "-" and body or nil }
      end
   end
   assert(#list > 0, "bench: no request in " .. file)
   return list
end

function init(args)
   local opt = {}
   for _, a in ipairs(args) do
      local k, v = a:match("^([%w_]+)=(.*)$")
      if k then opt[k] = v end
   end
   local list = read_requests(opt.requests)
   local sessions = tonumber(opt.sessions or "1")
   local threads_count = tonumber(opt.threads or "1")
   stop_after = math.ceil(tonumber(opt.stop_after or "0") / threads_count)
   stop_file = opt.stop_file or ""
   local want_csrf = false
   for _, r in ipairs(list) do
      if r.body and r.body:find("@CSRF@", 1, true) then want_csrf = true end
   end
   -- The weighted order of one round, interleaved rather than grouped, so that a
   -- mix keeps its proportions over any window of requests.
   local round, credit = {}, {}
   local total = 0
   for i, r in ipairs(list) do credit[i] = 0; total = total + r.weight end
   for _ = 1, total do
      local best
      for i, r in ipairs(list) do
         credit[i] = credit[i] + r.weight
         if not best or credit[i] > credit[best] then best = i end
      end
      credit[best] = credit[best] - total
      round[#round + 1] = list[best]
   end
   local host, port = wrk.host, wrk.port or "80"
   for s = 1, sessions do
      local ok, session, csrf = pcall(sign_in, host, port, opt.mount, opt.user, opt.password,
                                      want_csrf)
      if not ok then
         login_error = tostring(session)
         session, csrf = "none", "none"
      end
      for _, r in ipairs(round) do
         local headers = { ["Cookie"] = "iv_session=" .. session }
         local body = r.body
         if body then
            body = body:gsub("@CSRF@", csrf or "")
            headers["Content-Type"] = "application/x-www-form-urlencoded"
         end
         prepared[#prepared + 1] = wrk.format(r.method, r.path, headers, body)
      end
   end
end

function request()
   next_index = next_index % #prepared + 1
   return prepared[next_index]
end

function response(status, headers, body)
   answered = answered + 1
   local location = headers["Location"] or ""
   if status >= 400 or status < 200 or location:find("/connexion", 1, true) then
      unexpected = unexpected + 1
      if first_unexpected == "" then
         first_unexpected = tostring(status) .. " " .. location .. " "
                            .. (body or ""):sub(1, 200):gsub("%s+", " ")
      end
   end
   if stop_after > 0 and answered == stop_after then
      -- wrk's main thread sleeps for the whole -d: tell bench.py, which sends SIGINT
      -- once every thread is done (done() then reports as usual)
      local f = io.open(stop_file, "a")
      if f then f:write("done\n"); f:close() end
      wrk.thread:stop()
   end
end

-- ------------------------------------------------------------ report

local function json_string(s)
   return '"' .. tostring(s):gsub('[%c"\\]', function(c)
      return string.format("\\u%04x", c:byte())
   end) .. '"'
end

function done(summary, latency, requests)
   local unexpected_total, logins, first = 0, {}, ""
   for _, t in ipairs(threads) do
      unexpected_total = unexpected_total + (t:get("unexpected") or 0)
      local le = t:get("login_error") or ""
      if le ~= "" then logins[#logins + 1] = le end
      if first == "" then first = t:get("first_unexpected") or "" end
   end
   local e = summary.errors
   local fields = {
      '"requests": ' .. summary.requests,
      '"duration_us": ' .. summary.duration,
      '"bytes": ' .. summary.bytes,
      '"rps": ' .. string.format("%.1f", summary.requests / (summary.duration / 1e6)),
      '"p50_ms": ' .. string.format("%.3f", latency:percentile(50) / 1000),
      '"p90_ms": ' .. string.format("%.3f", latency:percentile(90) / 1000),
      '"p99_ms": ' .. string.format("%.3f", latency:percentile(99) / 1000),
      '"max_ms": ' .. string.format("%.3f", latency.max / 1000),
      '"mean_ms": ' .. string.format("%.3f", latency.mean / 1000),
      '"socket_errors": ' .. (e.connect + e.read + e.write + e.timeout),
      '"timeouts": ' .. e.timeout,
      '"status_errors": ' .. e.status,
      '"unexpected": ' .. unexpected_total,
      '"first_unexpected": ' .. json_string(first),
      '"login_errors": ' .. json_string(table.concat(logins, "; ")),
   }
   io.write("BENCH_RESULT {" .. table.concat(fields, ", ") .. "}\n")
end
