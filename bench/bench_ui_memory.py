"""Web-app memory over many uploads (issue 15: it grew 0.8 MB per upload and was never released).

Starts the app (``jixiao ui``) in a process of its own on a free port, uploads N reports one
after another through gradio_client, and prints the resident memory (RSS) of the app process
and of its live children (the review workers) after every 10 uploads, then once more after
the sessions were closed and ``--settle`` seconds passed.

Each upload is a different report (a seed from tests/data/seeds with a numbered marker line
appended, so each is a new file to Gradio), sent from:

* ``--mode new``    — a new session each time (a new browser tab), left open;
* ``--mode closed`` — a new session each time, closed after its upload (the tab is closed);
* ``--mode same``   — one session uploading again and again (the reviewer's next report).

    .venv/bin/python bench/bench_ui_memory.py --uploads 50 --mode closed
    .venv/bin/python bench/bench_ui_memory.py --uploads 200 --mode new
    .venv/bin/python bench/bench_ui_memory.py --uploads 20 --bombs 3   # zip bombs among them

``--bombs K`` makes every (N/K)th upload a zip-bomb .docx of the fuzz corpus (word/document.xml
inflating to 600 MB, 0.6 MB on disk), and prints the memory after each bomb too.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests" / "data" / "seeds"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for c in (task / "children").read_text().split():
                out.append(int(c))
                out += children(int(c))
    except OSError:
        pass
    return out


def memory_line(pid: int, label: str) -> str:
    kids = children(pid)
    kid_mb = sum(rss_mb(c) for c in kids)
    return f"{label:>14}  app {rss_mb(pid):7.1f} MB   workers {len(kids):2d} × {kid_mb:7.1f} MB"


def _bomb(path: Path) -> Path:
    sys.path.insert(0, str(ROOT / "tests" / "fuzz"))
    from corpus import BASE_DOCX, MB, rebuild_zip, xml_bomb

    return rebuild_zip(BASE_DOCX, path, {"word/document.xml": xml_bomb("w:document", 600 * MB)})


def wait_up(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    import httpx

    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise SystemExit(f"the app exited with {proc.returncode}")
        try:
            if httpx.get(url + "/config", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("the app did not start")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--uploads", type=int, default=50)
    ap.add_argument("--mode", choices=("new", "closed", "same"), default="closed")
    ap.add_argument("--settle", type=float, default=5.0, help="seconds to wait after the last upload")
    ap.add_argument("--every", type=int, default=10)
    ap.add_argument("--bombs", type=int, default=0, help="how many of the uploads are zip-bomb .docx files")
    args = ap.parse_args(argv)

    from gradio_client import Client, handle_file

    sys.path.insert(0, str(ROOT))
    from ui.app import KINDS, SEVERITIES

    seeds = [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))[1:]]
    work = Path(tempfile.mkdtemp(prefix="bench_ui_memory."))
    port = free_port()
    env = dict(os.environ, JIXIAO_UI_NO_LLM="1", GRADIO_TEMP_DIR=str(work / "gradio"))
    for var in ("OPENAI_BASE_URL", "JIXIAO_MODEL", "JIXIAO_CORPUS", "JIXIAO_UI_AUTH"):
        env.pop(var, None)
    log = open(work / "app.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "reviewer.cli", "ui", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_up(url, proc)
        print(f"mode={args.mode} uploads={args.uploads} pid={proc.pid}")
        print(memory_line(proc.pid, "started"))
        t0 = time.time()
        client = Client(url, verbose=False) if args.mode == "same" else None
        bomb_every = args.uploads // args.bombs if args.bombs else 0
        for i in range(1, args.uploads + 1):
            is_bomb = bool(bomb_every) and i % bomb_every == 0
            if is_bomb:
                f = _bomb(work / f"炸弹{i:04d}.docx")
            else:
                f = work / f"报告{i:04d}.txt"
                f.write_text(seeds[i % len(seeds)] + f"\n上传序号标记{i:04d}\n", "utf-8")
            c = client or Client(url, verbose=False)
            out = c.predict([handle_file(str(f))], SEVERITIES, KINDS, api_name="/on_upload")
            if is_bomb:
                print(memory_line(proc.pid, f"bomb {i}"), f"  {str(out[2]).strip()[:90]}", flush=True)
            elif "已审阅 1 个文件" not in str(out):
                print(f"upload {i}: {str(out)[:200]}")
            if args.mode == "closed":
                c.close()
            f.unlink()
            if i % args.every == 0:
                print(memory_line(proc.pid, f"after {i}"), f"  {time.time() - t0:6.1f} s", flush=True)
        if client is not None:
            client.close()
        time.sleep(args.settle)
        print(memory_line(proc.pid, f"+{args.settle:g} s idle"))
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
