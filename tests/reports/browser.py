"""Take a screenshot of an HTML report in headless Chromium (no network)."""

import os
import shutil
import subprocess

CHROMIUM = next((path for path in ("/usr/bin/chromium", shutil.which("chromium"))
                 if path and os.path.exists(path)), None)
NO_CHROMIUM = "chromium is not installed (apt-get install chromium)"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def screenshot(html_path, png_path, profile_dir, width=1200, height=1600):
    """Render ``html_path`` into ``png_path``; return Chromium's completed process."""
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile_dir}",
         f"--screenshot={png_path}", f"--window-size={width},{height}",
         html_path.as_uri()],
        capture_output=True, text=True, timeout=120,
    )


def looks_rendered(png_path):
    """A PNG, and not a blank page (which compresses to a few KB)."""
    data = png_path.read_bytes()
    return data.startswith(PNG_SIGNATURE) and len(data) > 10 * 1024
