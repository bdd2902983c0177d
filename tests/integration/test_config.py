"""Configuration: bad directive values stop httpd at start-up (apachectl -t), and the
reference configuration documents every directive of the module."""
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, SANITIZE

ASAN_RUNTIME = "/usr/lib/x86_64-linux-gnu/libasan.so.8"


def configtest(stack, tmp_path, extra):
    """apache2 -t on the running instance's configuration plus extra directives."""
    base = (stack.var / "httpd/httpd.conf").read_text()
    conf = tmp_path / "httpd.conf"
    conf.write_text(base + "\n" + extra + "\n")
    env = {"PATH": "/usr/sbin:/usr/bin:/bin"}
    if SANITIZE:
        env.update(LD_PRELOAD=ASAN_RUNTIME, ASAN_OPTIONS="detect_leaks=0")
    return subprocess.run(["/usr/sbin/apache2", "-t", "-f", str(conf)], env=env,
                          capture_output=True, text=True, timeout=60)


def test_the_generated_configuration_is_valid(stack, tmp_path):
    r = configtest(stack, tmp_path, "")
    assert r.returncode == 0, r.stderr
    assert "Syntax OK" in r.stderr


@pytest.mark.parametrize("directive, message", [
    ("InterventionsSessionIdle abc", "InterventionsSessionIdle: invalid duration 'abc'"),
    ("InterventionsSessionMax 0", "InterventionsSessionMax: invalid duration '0'"),
    ("InterventionsRole chef \"cn=x,dc=demo,dc=local\"", "unknown role 'chef'"),
    ("InterventionsRole admin \"pas un dn\"", "invalid group DN"),
    ("InterventionsLDAPURL http//annuaire", "invalid directory URL"),
    ("InterventionsLDAPBaseDN \"n'importe quoi\"", "invalid DN"),
    ("InterventionsLDAPUserFilter \"(uid=admin)\"", "exactly one %s"),
    ("InterventionsLDAPTimeout 0", "invalid timeout"),
    ("InterventionsLDAPBindPasswordFile /nonexistent/secret", "cannot read file"),
    ("InterventionsPerimeter \"cn=x,dc=demo,dc=local\" Vincennes", "invalid INSEE commune code"),
    ("InterventionsPerimeter \"cn=x,dc=demo,dc=local\"", "at least one"),
    ("InterventionsTemplates /nonexistent", "directory '/nonexistent' does not exist"),
    ("InterventionsTrustRemoteUser peut-être", "InterventionsTrustRemoteUser"),
    ("InterventionsStaticURL static", "invalid URL path"),
    ("InterventionsSessionIdle 11h", "exceeds InterventionsSessionMax"),
    # fiche PDF: fonts and logo
    ("InterventionsFont /nonexistent/police.ttf", "InterventionsFont: cannot read file '/nonexistent/police.ttf'"),
    ("InterventionsFontBold /nonexistent/gras.ttf", "InterventionsFontBold: cannot read file"),
    ("InterventionsFont /etc/passwd", "InterventionsFont: '/etc/passwd' is not a TrueType font"),
    ("InterventionsLogo /nonexistent/logo.png", "InterventionsLogo: cannot read file '/nonexistent/logo.png'"),
    ("InterventionsLogo /etc/passwd", "InterventionsLogo: '/etc/passwd' is neither a PNG nor a JPEG"),
])
def test_bad_value_fails_the_configuration_test(stack, tmp_path, directive, message):
    r = configtest(stack, tmp_path, directive)
    assert r.returncode != 0
    assert message in r.stderr, r.stderr
    assert "Syntax OK" not in r.stderr


def test_broken_stylesheet_fails_the_configuration_test(stack, tmp_path):
    views = tmp_path / "xslt"
    subprocess.run(["cp", "-r", str(ROOT / "xslt"), str(views)], check=True)
    (views / "list.xsl").write_text("<xsl:stylesheet")
    os.chmod(tmp_path, 0o755)
    r = configtest(stack, tmp_path, f"InterventionsTemplates {views}")
    assert r.returncode != 0
    assert "list.xsl" in r.stderr and "is missing or invalid" in r.stderr


# The message catalogue is read at start-up (view.c, iv:msg()), not by every page.
@pytest.mark.parametrize("content", [None, "<catalogue><m key='x'>", "<messages/>"])
def test_broken_catalogue_fails_the_configuration_test(stack, tmp_path, content):
    views = tmp_path / "xslt"
    subprocess.run(["cp", "-r", str(ROOT / "xslt"), str(views)], check=True)
    catalogue = views / "i18n/fr.xml"
    if content is None:
        catalogue.unlink()
    else:
        catalogue.write_text(content)
    os.chmod(tmp_path, 0o755)
    r = configtest(stack, tmp_path, f"InterventionsTemplates {views}")
    assert r.returncode != 0
    assert "message catalogue" in r.stderr and "i18n/fr.xml" in r.stderr, r.stderr


def module_directives():
    source = (ROOT / "mod_interventions/mod_interventions.c").read_text()
    return set(re.findall(r'AP_INIT_\w+\("(Interventions\w+)"', source))


def test_reference_configuration_documents_every_directive():
    conf = (ROOT / "conf/interventions.conf").read_text()
    documented = set(re.findall(r"^# (Interventions\w+) ", conf, re.M))
    used = set(re.findall(r"^\s*(Interventions\w+) ", conf, re.M))
    directives = module_directives()
    assert len(directives) >= 15
    assert documented == directives, (documented ^ directives)
    assert used <= directives
    for name in directives:
        block = conf.split(f"# {name} ", 1)[1].split("\n\n", 1)[0]
        assert "Default" in block, f"{name}: default not documented"
        assert "Context" in block, f"{name}: context not documented"


def test_reference_configuration_passes_the_configuration_test(stack, tmp_path):
    """conf/interventions.conf, with its example paths pointed at the test instance."""
    conf = (ROOT / "conf/interventions.conf").read_text()
    secret = tmp_path / "secret"
    secret.write_text("x\n")
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    conf = (conf.replace("/etc/apache2/interventions-ldap.secret", str(secret))
                .replace("/usr/share/interventions/xslt", str(ROOT / "xslt"))
                .replace("/usr/share/interventions/htdocs", str(ROOT / "htdocs"))
                .replace("/var/lib/interventions/uploads", str(uploads))
                .replace("/usr/lib/apache2/modules/mod_interventions.so",
                         os.environ.get("IV_MODULE", str(ROOT / "build/release/.libs/mod_interventions.so"))))
    base = (stack.var / "httpd/httpd.conf").read_text()
    # keep the instance's frame (MPM, logs, Listen...) without its own module lines
    frame = "\n".join(line for line in base.splitlines()
                      if not re.match(r"\s*(Interventions|DBD|LoadModule (interventions|dbd)_module)", line)
                      and "SetHandler" not in line)
    frame = re.sub(r"<Location /interventions>\s*</Location>", "", frame)
    (tmp_path / "ref.conf").write_text(conf)
    full = tmp_path / "httpd.conf"
    full.write_text(frame + f"\nInclude {tmp_path / 'ref.conf'}\n")
    env = {"PATH": "/usr/sbin:/usr/bin:/bin"}
    if SANITIZE:
        env.update(LD_PRELOAD=ASAN_RUNTIME, ASAN_OPTIONS="detect_leaks=0")
    r = subprocess.run(["/usr/sbin/apache2", "-t", "-f", str(full)], env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
