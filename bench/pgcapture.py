"""bench/pgcapture.py — what the module really runs for a page, read from PostgreSQL's
own log, turned into a pgbench script.

No SQL is copied by hand into the bench: during one request of a scenario, the bench
cluster logs every statement (log_statement = 'all', switched on and off with ALTER
SYSTEM + pg_reload_conf()). apr_dbd's pgsql driver prepares each statement with SQL
PREPARE and runs it with PQexecPrepared, so the log shows

    LOG:  execute iv_session_get: PREPARE iv_session_get (integer, varchar, ...) AS SELECT ...
    DETAIL:  parameters: $1 = '60', $2 = '4f1c...', ...

and transactions as "statement: BEGIN TRANSACTION" ... "statement: COMMIT". The pgbench
script replays that sequence in prepared mode (-M prepared): each $n becomes a pgbench
variable cast to the placeholder's declared type (so PostgreSQL infers the same
parameter types as the module's PREPARE), and each variable is given the logged value
with -D, sent as a text parameter like the module sends it.
"""
import re
import time

LOG_PREFIX = "%m [%p] %u@%d "
ENTRY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (\S*)@(\S*) "
                   r"([A-Z]+):  (.*)$")
EXECUTE = re.compile(r"^execute (\S+?): (.*)$", re.S)
PREPARE = re.compile(r"^\s*PREPARE\s+(\w+)\s*(?:\(([^)]*)\))?\s+AS\s+(.*)$", re.S | re.I)
PARAM = re.compile(r"\$(\d+) = (NULL|'(?:[^']|'')*')", re.S)

SETTINGS = {"log_statement": "'all'", "log_line_prefix": "'%s'" % LOG_PREFIX,
            "log_parameter_max_length": "-1"}


class Statement:
    def __init__(self, label, sql, types, params):
        self.label = label          # prepared statement name, None for a plain statement
        self.sql = sql              # body with $1..$n
        self.types = types          # declared types of $1..$n
        self.params = params        # {n: value or None}

    def __repr__(self):
        return "<%s %d params>" % (self.label or self.sql[:30], len(self.params))


class Capture:
    """with Capture(stack) as cap: <one request>;  then cap.statements."""

    def __init__(self, stack, db_user="interventions"):
        self.stack, self.db_user = stack, db_user
        self.statements = []

    def __enter__(self):
        for name, value in SETTINGS.items():
            self.stack.psql("ALTER SYSTEM SET %s = %s" % (name, value), admin=True)
        self.stack.psql("SELECT pg_reload_conf()", admin=True)
        # The postmaster re-reads the file, then signals the backends, which apply it
        # before their next command: wait until a new session sees the setting.
        deadline = time.monotonic() + 5
        while self.stack.psql("SHOW log_statement", admin=True) != "all":
            if time.monotonic() > deadline:
                raise RuntimeError("log_statement n'a pas été pris en compte")
            time.sleep(0.05)
        time.sleep(0.3)
        self.offset = self.stack.pg_log.stat().st_size
        return self

    def __exit__(self, *exc):
        time.sleep(0.2)     # the backends write their log lines synchronously; be generous
        with open(self.stack.pg_log, "rb") as f:
            f.seek(self.offset)
            text = f.read().decode("utf-8", "replace")
        for name in SETTINGS:
            self.stack.psql("ALTER SYSTEM RESET %s" % name, admin=True)
        self.stack.psql("SELECT pg_reload_conf()", admin=True)
        self.statements = parse_log(text, self.db_user)
        self.log_text = text


def parse_log(text, db_user):
    """Statements executed by db_user's sessions, in order, with their parameters."""
    entries = []        # [pid, user, level, message]
    for line in text.splitlines():
        m = ENTRY.match(line)
        if m:
            entries.append([m.group(1), m.group(2), m.group(4), m.group(5)])
        elif entries:
            entries[-1][3] += "\n" + line.lstrip("\t")
    statements, last_by_pid = [], {}
    for pid, user, level, message in entries:
        if user != db_user:
            continue
        if level == "LOG":
            m = EXECUTE.match(message)
            if m:
                st = from_prepared(m.group(1), m.group(2))
            elif message.startswith("statement: "):
                st = Statement(None, message[len("statement: "):].strip().rstrip(";"), [], {})
            else:
                continue
            statements.append(st)
            last_by_pid[pid] = st
        elif level == "DETAIL" and message.startswith("parameters: ") and pid in last_by_pid:
            st = last_by_pid[pid]
            for n, value in PARAM.findall(message[len("parameters: "):]):
                st.params[int(n)] = None if value == "NULL" else value[1:-1].replace("''", "'")
    return statements


def from_prepared(label, source):
    m = PREPARE.match(source)
    if not m:   # prepared at protocol level: no declared types
        return Statement(label, source.strip(), [], {})
    types = [t.strip() for t in m.group(2).split(",")] if m.group(2) else []
    return Statement(label, m.group(3).strip().rstrip(";"), types, {})


# ---------------------------------------------------------------- pgbench script

def _literal(text):
    """A string literal for pgbench: in prepared mode pgbench takes any ":name" as a
    variable, even inside quotes ('HH24:MI'), so a literal holding ':' is written as
    an escape string with \\x3a: the same constant for PostgreSQL."""
    if ":" not in text:
        return "'" + text.replace("'", "''") + "'"
    return "E'" + text.replace("\\", "\\\\").replace("'", "''").replace(":", "\\x3a") + "'"


def rewrite(sql, placeholder):
    """sql with each $n outside quotes replaced by placeholder(n), and the literals
    made safe for pgbench."""
    out, i, n = [], 0, len(sql)
    while i < n:
        c = sql[i]
        if c == "'":
            j, buf = i + 1, []
            while j < n:
                if sql[j] == "'" and j + 1 < n and sql[j + 1] == "'":
                    buf.append("'")
                    j += 2
                elif sql[j] == "'":
                    break
                else:
                    buf.append(sql[j])
                    j += 1
            out.append(_literal("".join(buf)))
            i = j + 1
        elif c == '"':
            j = sql.index('"', i + 1)
            out.append(sql[i:j + 1])
            i = j + 1
        elif c == "$" and i + 1 < n and sql[i + 1].isdigit():
            j = i + 1
            while j < n and sql[j].isdigit():
                j += 1
            out.append(placeholder(int(sql[i + 1:j])))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def pgbench_script(statements, returned=None):
    """Returns (script text, {variable: value}) replaying statements.

    returned: (value, variable) — a value that the module got back from an earlier
    statement of the same page (the id of the request just created): the statement
    that returns it ends with \\gset, and later parameters equal to it use the
    variable instead, as the module uses the id it was given."""
    lines, defines = [], {}
    gset_done = False
    for k, st in enumerate(statements, 1):
        if st.label is None:
            lines.append(st.sql + ";")
            continue

        def placeholder(n, st=st, k=k):
            value = st.params.get(n)
            cast = "::" + st.types[n - 1] if n <= len(st.types) else ""
            if value is None:
                return "NULL" + cast
            if value == "":
                return "''" + cast      # pgbench -D refuses an empty value
            if returned and gset_done and value == returned[0]:
                return ":" + returned[1] + cast
            name = "s%d_%d" % (k, n)
            defines[name] = value
            return ":" + name + cast

        body = rewrite(st.sql, placeholder)
        if returned and not gset_done and re.search(r"\bRETURNING\s+id\b", st.sql, re.I):
            prefix = returned[1][:-2] if returned[1].endswith("id") else returned[1]
            lines.append("-- %s\n%s \\gset %s" % (st.label, body, prefix))
            gset_done = True
        else:
            lines.append("-- %s\n%s;" % (st.label, body))
    return "\n".join(lines) + "\n", defines
