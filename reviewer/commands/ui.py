"""``jixiao ui``: the reviewer web app (Gradio) on this machine."""

from __future__ import annotations

import os
import sys

from reviewer.commands._options import add_review_options


def register(sub) -> None:
    p = sub.add_parser(
        "ui",
        help="启动网页界面",
        description="在本机启动审阅网页界面（默认只监听 127.0.0.1）。设置 JIXIAO_UI_AUTH=user:password 启用密码，"
                    "JIXIAO_UI_MAX_FILE_SIZE 设置上传大小上限（默认 20mb）。",
    )
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    p.add_argument("--port", type=int, default=7860, help="端口（默认 7860）")
    add_review_options(p, rules=False)
    p.set_defaults(func=run)


def run(args) -> int:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    if args.no_llm:
        os.environ["JIXIAO_UI_NO_LLM"] = "1"
    if args.corpus:
        os.environ["JIXIAO_CORPUS"] = args.corpus
    if args.host not in ("127.0.0.1", "localhost", "::1") and not os.environ.get("JIXIAO_UI_AUTH"):
        print(f"警告：监听 {args.host} 且未设置密码（JIXIAO_UI_AUTH），局域网内任何人都可访问 / "
              f"warning: listening on {args.host} without a password (JIXIAO_UI_AUTH)", file=sys.stderr)
    from ui.app import launch, parse_auth

    try:
        parse_auth(os.environ.get("JIXIAO_UI_AUTH"))
    except ValueError as e:
        print(str(e), file=sys.stderr)
        return 2
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"jixiao 网页界面：http://{shown}:{args.port}/ （按 Ctrl+C 退出）", flush=True)
    launch(args.host, args.port, quiet=True)
    return 0
