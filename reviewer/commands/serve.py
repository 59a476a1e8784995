"""``jixiao serve``: the warm mode of ``jixiao check`` (reviewer.warm).  While a server runs
for this checkout, ``jixiao check`` is served by it (same output and exit status, a
fraction of the start-up).  A cold ``jixiao check`` starts one in the background for the
next check (``--auto``: it stops after 15 idle minutes); ``JIXIAO_SERVE=off`` makes check
neither use nor start one, ``JIXIAO_SERVE=manual`` only use one started by hand."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
from pathlib import Path

from reviewer.warm.address import socket_path

AUTO_IDLE_S = 900.0  # a server started by `jixiao check` stops after 15 minutes without a check


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="常驻进程：让 jixiao check 免去启动开销",
        description="启动常驻审阅进程（本机 Unix 套接字，仅本用户可用）。运行期间 jixiao check 交由它执行，"
        "结果与直接运行完全相同，只是省去每次启动加载代码和模型的时间；代码改动后它自动退出。"
        "设置环境变量 JIXIAO_SERVE=off 可让 check 不使用它。",
    )
    p.add_argument("--socket", type=Path, help="套接字路径（默认按用户和代码目录自动选定；也可用 JIXIAO_SERVE_SOCKET）")
    p.add_argument("--detach", action="store_true", help="在后台启动，就绪后返回")
    p.add_argument("--log", type=Path, help="--detach 时的日志文件（默认与套接字同目录）")
    p.add_argument("--no-model", action="store_true", help="不预先加载句向量模型")
    p.add_argument("--status", action="store_true", help="查看常驻进程是否在运行")
    p.add_argument("--stop", action="store_true", help="停止常驻进程")
    p.add_argument("--idle-timeout", type=float, metavar="SECONDS",
                   help="连续这么多秒没有检查请求就退出（默认一直运行；jixiao check 自动启动的为 900）")
    p.add_argument("--auto", action="store_true",
                   help="由 jixiao check 在后台自动启动：已有常驻进程时静默退出，默认空闲 900 秒后退出")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from reviewer.warm.server import WarmServer, request, wait_until_up, warm_up

    path = args.socket or socket_path()
    if args.status or args.stop:
        reply = request(path, {"stop": True} if args.stop else {"ping": True})
        if reply is None:
            print(f"没有常驻进程在运行（{path}）")
            return 1
        print(f"{'已停止' if args.stop else '正在运行'}：{path}，已处理 {reply.get('served', 0)} 次检查"
              + (f"，进程号 {reply['pid']}" if "pid" in reply else ""))
        return 0
    if args.detach:
        log = args.log or path.with_suffix(".log")
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "reviewer", "serve", "--socket", str(path)] + (["--no-model"] if args.no_model else []) \
            + (["--idle-timeout", str(args.idle_timeout)] if args.idle_timeout else [])
        with open(log, "ab") as fh:
            subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=fh, stderr=fh, start_new_session=True)
        reply = wait_until_up(path)
        if reply is None:
            print(f"jixiao serve: 常驻进程未能启动，见日志 {log}", file=sys.stderr)
            return 2
        print(f"常驻进程已启动：{path}（进程号 {reply['pid']}，日志 {log}）")
        return 0
    idle = args.idle_timeout if args.idle_timeout else (AUTO_IDLE_S if args.auto else None)
    server = WarmServer(path, idle_timeout=idle)
    # the socket is bound once warm: a check meanwhile runs cold instead of waiting for the warm-up
    for step in (server.check_free, lambda: warm_up(load_model=not args.no_model), server.bind):
        try:
            step()
        except (OSError, FileExistsError) as e:
            if args.auto:  # another check started one first
                return 0
            print(f"jixiao serve: {e}", file=sys.stderr)
            return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"jixiao serve: 正在 {path} 上等待 jixiao check（Ctrl-C 或 jixiao serve --stop 停止）", file=sys.stderr,
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0
