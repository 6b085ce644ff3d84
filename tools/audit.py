"""`make audit`: pip-audit over requirements.lock, failing on any known vulnerability.

pip-audit exits 0 when it could not look a package up at all; this wrapper says so plainly
instead of letting "nothing found" pass for "nothing vulnerable". Known and accepted findings
are listed in ACCEPTED with the reason.
"""
import json
import subprocess
import sys

# vulnerability id -> why it does not affect Sinergi (reviewed; remove when the pin moves)
ACCEPTED: dict[str, str] = {}


def main() -> int:
    out = subprocess.run(
        [sys.executable, "-m", "pip_audit", "-r", "requirements.lock", "--disable-pip", "--no-deps",
         "--progress-spinner", "off", "-f", "json"],
        capture_output=True, text=True,
    )
    try:
        report = json.loads(out.stdout)
    except json.JSONDecodeError:
        print(out.stdout, out.stderr, sep="\n")
        return 2
    vulnerable, unaudited = [], []
    for dep in report.get("dependencies", []):
        if "skip_reason" in dep:
            unaudited.append(f"{dep['name']} {dep.get('version', '')}: {dep['skip_reason']}")
        for vuln in dep.get("vulns", []):
            if vuln["id"] not in ACCEPTED:
                vulnerable.append(f"{dep['name']} {dep['version']}: {vuln['id']} (fixed in {', '.join(vuln.get('fix_versions', [])) or '—'})")
    for line in vulnerable:
        print("VULNERABLE", line)
    for vid, why in ACCEPTED.items():
        print("accepted", vid, "—", why)
    if unaudited:
        print(f"{len(unaudited)} of {len(report.get('dependencies', []))} packages could not be audited "
              "(the vulnerability service was unreachable from this network):")
        for line in unaudited:
            print("  ", line)
    if vulnerable:
        return 1
    print("no known vulnerability" + (" among the packages that could be audited" if unaudited else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
