"""`make screenshots`: the README's pictures of the key pages, taken in Chromium from a fresh demo school.

It builds the demo in a scratch SQLite database, serves it on 127.0.0.1, signs in as the demo pastoral lead (with
the demo's published two-factor secret), and saves each page to docs/screenshots/. The generated plan is rendered
from its PDF (pdftoppm, from poppler-utils, which the make target installs when missing).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django_otp.oath import TOTP
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
PASSWORD = "reintegrate-demo"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _manage(env: dict[str, str], *args: str, **kwargs: object) -> subprocess.Popen[bytes]:
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    return subprocess.Popen(command, env=env, cwd=ROOT, **kwargs)  # type: ignore[call-overload]


def _code(username: str) -> str:
    from demo.data import ACCOUNTS, totp_key_hex

    account = next(a for a in ACCOUNTS if a.username == username)
    totp = TOTP(bytes.fromhex(totp_key_hex(account.totp_secret)))
    return f"{totp.token():06d}"


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.locator("main input[type=text], main input[inputmode=numeric]").first.fill(_code(username))
    page.locator("main").get_by_role("button").first.click()
    page.wait_for_load_state("load")


def _shot(page: Page, base: str, path: str, name: str, *, height: int = 0) -> None:
    """The page at 1280 px wide: the first screen, or (with `height`) the page down to that many pixels."""
    page.goto(base + path)
    page.wait_for_load_state("load")
    clip = {"x": 0, "y": 0, "width": 1280, "height": height} if height else None
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=bool(height), clip=clip)
    print(f"{name}.png  {path}")


def _generated_plan(env: dict[str, str]) -> None:
    """Pages 1 and 3 of the demo's fullest plan as a PDF, side by side: letterhead, chart, page numbers."""
    script = (
        "from django.db.models import Count\n"
        "from documents import records, selectors\n"
        "from plans.models import ReintegrationPlan\n"
        "p = ReintegrationPlan.objects.annotate(n=Count('reviews')).order_by('-n', 'pk').first()\n"
        "plan = selectors.plans_for_documents().get(pk=p.pk)\n"
        "import sys; sys.stdout.buffer.write(records.record_pdf(records.plan_record(plan)).content)\n"
    )
    pdf = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "plan.pdf"
        source.write_bytes(pdf)
        pdftoppm = shutil.which("pdftoppm")
        assert pdftoppm, "pdftoppm (poppler-utils) renders the PDF: make screenshots installs it"
        subprocess.run([pdftoppm, "-png", "-r", "80", str(source), str(Path(folder) / "page")], check=True)
        from PIL import Image

        pages = sorted(Path(folder).glob("page-*.png"))
        first, third = Image.open(pages[0]), Image.open(pages[min(2, len(pages) - 1)])
        sheet = Image.new(
            "RGB", (first.width + third.width + 30, max(first.height, third.height) + 20), (222, 224, 226)
        )
        sheet.paste(first, (10, 10))
        sheet.paste(third, (first.width + 20, 10))
        sheet.save(OUT / "generated-plan.png", optimize=True)
        print("generated-plan.png  the whole plan as a PDF, pages 1 and 3")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/demo.sqlite3", "DEBUG": "true"}
        for args in (("migrate", "--noinput", "-v", "0"), ("load_demo",)):
            if _manage(env, *args, stdout=subprocess.DEVNULL).wait() != 0:
                raise SystemExit(f"manage.py {args[0]} failed")
        server = _manage(
            env, "runserver", f"127.0.0.1:{port}", "--noreload", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310 - our own server
                    break
                except OSError:
                    time.sleep(0.2)
            os.environ.update(env)
            import django

            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reintegrate.settings")
            django.setup()
            from plans.models import ReintegrationPlan
            from suspensions.models import Suspension

            plan = ReintegrationPlan.objects.filter(meeting__status="held", status="active").order_by("pk").first()
            plan = plan or ReintegrationPlan.objects.filter(meeting__status="held").order_by("pk").first()
            assert plan is not None, "The demo has a plan whose meeting was held."
            notice = (
                Suspension.objects.filter(status="confirmed").exclude(kind="permanent").order_by("-start_date").first()
            )
            assert notice is not None
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                _sign_in(page, base, "pastoral")
                _shot(page, base, "/", "dashboard")
                _shot(page, base, f"/pupils/{plan.pupil_id}/", "pupil", height=1500)
                _shot(page, base, f"/plans/{plan.pk}/", "plan")
                _shot(page, base, f"/plans/{plan.pk}/meeting/record/", "meeting-record")
                _shot(
                    page,
                    base,
                    f"/documents/suspensions/{notice.pk}/letters/suspension_notice/",
                    "letter-preview",
                    height=2000,
                )
                browser.close()
            _generated_plan(env)
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
