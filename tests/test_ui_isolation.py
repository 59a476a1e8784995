"""Users of the web app do not see each other, and one hostile upload does not stop the
others: the app is started by the test and driven over real HTTP with gradio_client.

* Two logins upload, at the same time, near-identical reports that differ by a marker
  string and a file name: neither session's findings, report text, chat answers or
  downloads carry the other's marker, file name or text (the leak of issue 14: user B's
  review quoted user A's upload as a copy source).
* Ten uploads at the same time, one of them a file that runs far past its budget: the nine
  others get their findings, the runaway one a clear error naming the file and the limit.
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

try:
    from ui_server import running_app
except ImportError:  # tests/ imported as a package
    from tests.ui_server import running_app

from shared_paths import SEEDS

gradio_client = pytest.importorskip("gradio_client")

USERS = {"甲处审阅员": "pw-jia", "乙处审阅员": "pw-yi"}
MARK = {"甲处审阅员": "甲处专用标记QX7341", "乙处审阅员": "乙处专用标记ZK9052"}
FILE = {"甲处审阅员": "甲处保密办报告.txt", "乙处审阅员": "乙处普通报告.txt"}
# a long 存在问题 paragraph both reports carry: a shared index would report it as copied
SHARED = ("一是预算编制的科学性、精准性有待进一步提高，预算执行进度不够均衡，部分资金在年底集中支付；"
          "二是绩效目标设置不够细化、量化，部分指标难以衡量，绩效自评工作还存在重形式、轻结果的现象；"
          "三是绩效管理专业人员不足，培训不够，对绩效评价结果的应用还不充分。")


PROJECT = {
    "甲处审阅员": ("山丹县民政局", "城乡困难群众春节慰问", "县民政局对全县城乡困难群众开展春节慰问，慰问对象1200户。",
              "全年预算数120万元，全年执行数96万元，预算执行率95%。"),
    "乙处审阅员": ("临泽县教育局", "乡村学校校舍维修", "县教育局维修乡村学校校舍14所，更换门窗860樘，改造厕所9座。",
              "年初预算数300万元，全年执行数291万元，执行率97%。"),
}


def _report_for(user: str) -> str:
    """Two different projects (reports on one project are never compared) that share a
    stock 存在问题 paragraph, each with its user's marker."""
    org, project, basic, funds = PROJECT[user]
    return (f"{org}\n2023年度{project}项目支出绩效自评报告\n一、项目基本情况\n{basic}\n二、项目资金情况\n{funds}\n"
            f"三、存在问题\n{SHARED}\n{MARK[user]}项目组自查发现以上问题。\n四、改进措施\n进一步加强管理。\n")


@pytest.fixture
def app_url(monkeypatch, tmp_path):
    for var in ("OPENAI_BASE_URL", "JIXIAO_MODEL", "JIXIAO_CORPUS"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("JIXIAO_UI_NO_LLM", "1")
    monkeypatch.setenv("JIXIAO_UI_AUTH", ",".join(f"{u}:{p}" for u, p in USERS.items()))
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    # a small budget so the runaway upload is stopped quickly (found from the working folder)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "jixiao.toml").write_text("[tool.jixiao.budget]\nseconds = 3\nwall_seconds = 60\n", "utf-8")
    with running_app() as url:
        yield url


def _client(url: str, user: str):
    return gradio_client.Client(url, auth=(user, USERS[user]), verbose=False)


def _upload(client, path: Path) -> tuple:
    from ui.app import KINDS, SEVERITIES

    return client.predict([gradio_client.handle_file(str(path))], SEVERITIES, KINDS, api_name="/on_upload")


def _everything(out) -> str:
    """Every output of an endpoint as one string (dataframes, markdown, html, files' text)."""
    parts = []
    for x in out if isinstance(out, (list, tuple)) else [out]:
        if isinstance(x, str) and len(x) < 1024 and "\n" not in x and Path(x).is_file():
            parts.append(Path(x).name)
            try:
                from docx import Document

                parts.append("\n".join(p.text for p in Document(x).paragraphs))
            except Exception:  # noqa: BLE001 — not a .docx
                parts.append(Path(x).read_bytes().decode("utf-8", "replace"))
        else:
            parts.append(json.dumps(x, ensure_ascii=False, default=str))
    return "\n".join(parts)


def test_two_logins_never_see_each_others_uploads(app_url, tmp_path):
    paths = {}
    for user in USERS:
        d = tmp_path / user
        d.mkdir()
        paths[user] = d / FILE[user]
        paths[user].write_text(_report_for(user), "utf-8")
    clients = {u: _client(app_url, u) for u in USERS}
    barrier = threading.Barrier(len(USERS))

    def session(user: str) -> str:
        c = clients[user]
        barrier.wait()  # both upload at the same moment
        seen = [_everything(_upload(c, paths[user]))]
        seen.append(_everything(c.predict("0:0", "存在哪些问题？", [], api_name="/ask")))
        seen.append(_everything(c.predict("0:0", api_name="/annotate")))
        return "\n".join(seen)

    with ThreadPoolExecutor(len(USERS)) as ex:
        seen = dict(zip(USERS, ex.map(session, USERS)))
    for user, other in (("甲处审阅员", "乙处审阅员"), ("乙处审阅员", "甲处审阅员")):
        mine = seen[user]
        assert MARK[user] in mine, "the user's own report is shown"  # the check below could not fail otherwise
        assert FILE[user] in mine
        assert MARK[other] not in mine
        assert FILE[other] not in mine and Path(FILE[other]).stem not in mine
        assert PROJECT[other][0] not in mine and PROJECT[other][1] not in mine  # nor the other's title


def test_ten_uploads_at_once_one_runaway(app_url, tmp_path):
    seeds = sorted(SEEDS.glob("*.txt"))
    small = seeds[1:]  # one report each (000 holds thirteen)
    files = []
    for i in range(9):
        p = tmp_path / f"正常报告{i}.txt"
        p.write_text(small[i % len(small)].read_text("utf-8"), "utf-8")
        files.append(p)
    runaway = tmp_path / "失控文件.txt"
    text = "\n".join(p.read_text("utf-8") for p in seeds)
    # 820,000 characters, under the character limit: its review runs far past 3 s of CPU
    runaway.write_text("\n".join([text] * 20), "utf-8")
    files.insert(3, runaway)
    user = "甲处审阅员"

    def one(p: Path) -> str:
        return _everything(_upload(_client(app_url, user), p))

    with ThreadPoolExecutor(len(files)) as ex:
        got = dict(zip(files, ex.map(one, files)))
    for p, out in got.items():
        if p == runaway:
            assert "失控文件.txt" in out and "时间上限" in out and "3 秒" in out
        else:
            assert "已审阅 1 个文件" in out and p.name in out, out[:300]


def test_the_upload_limit_holds_for_the_whole_upload_and_uploads_are_forgotten(monkeypatch, tmp_path):
    from ui.uploads import forget_uploads, over_request_limit

    root = tmp_path / "gradio"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(root))
    monkeypatch.setenv("JIXIAO_UI_MAX_FILE_SIZE", "20kb")
    parts = []
    for i in range(4):  # each under the limit, together over it
        d = root / f"upload{i}"
        d.mkdir(parents=True)
        parts.append(d / f"报告{i}.txt")
        parts[-1].write_bytes(b"x" * 15 * 1024)
    msg = over_request_limit([str(p) for p in parts])
    assert "合计 0.1 MB" in msg and "20kb" in msg
    assert not any(p.exists() for p in parts)  # a refused upload is not kept
    assert over_request_limit([]) == ""

    kept = root / "upload9" / "报告.txt"
    kept.parent.mkdir()
    kept.write_bytes(b"x" * 1024)
    assert over_request_limit([str(kept)]) == ""
    outside = tmp_path / "不是上传的文件.txt"
    outside.write_text("留着", "utf-8")
    forget_uploads({"uploads": [str(kept), str(outside)]})  # the session ended
    assert not kept.exists() and not kept.parent.exists()
    assert outside.exists()  # only what Gradio received is deleted


def test_ten_uploads_at_once_two_zip_bombs(app_url, tmp_path):
    """Issue 14: ten uploads at once, two of them zip-bomb .docx files from the fuzz corpus
    (word/document.xml inflating to 600 MB; styles.xml inflating to 300 MB behind a size
    header that says 1000 bytes): each bomb is refused with its name and reason, the eight
    others get their findings, and the app answers the next upload."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent / "fuzz"))
    from corpus import BASE_DOCX, MB, lie_about_size, rebuild_zip, xml_bomb

    seeds = sorted(SEEDS.glob("*.txt"))[1:]
    files = []
    for i in range(8):
        p = tmp_path / f"正常报告{i}.txt"
        p.write_text(seeds[i % len(seeds)].read_text("utf-8"), "utf-8")
        files.append(p)
    bomb = rebuild_zip(BASE_DOCX, tmp_path / "压缩炸弹.docx", {"word/document.xml": xml_bomb("w:document", 600 * MB)})
    liar = lie_about_size(rebuild_zip(BASE_DOCX, tmp_path / "谎报大小.docx",
                                      {"word/styles.xml": xml_bomb("w:styles", 300 * MB)}), "word/styles.xml")
    assert bomb.stat().st_size < 2 * MB and liar.stat().st_size < 2 * MB
    files.insert(2, bomb)
    files.insert(7, liar)
    user = "乙处审阅员"

    def one(p: Path) -> str:
        return _everything(_upload(_client(app_url, user), p))

    with ThreadPoolExecutor(len(files)) as ex:
        got = dict(zip(files, ex.map(one, files)))
    assert "压缩炸弹.docx" in got[bomb] and "疑似压缩炸弹" in got[bomb] and "已审阅" not in got[bomb]
    assert "谎报大小.docx" in got[liar] and "⚠" in got[liar] and "已审阅" not in got[liar]
    for p in files:
        if p not in (bomb, liar):
            assert "已审阅 1 个文件" in got[p] and p.name in got[p], got[p][:300]
    after = one(files[0])  # the app is still up
    assert "已审阅 1 个文件" in after
