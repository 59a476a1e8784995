"""The web app's file routes serve a login's uploads and downloads to that login only.

Gradio serves files by path (``/gradio_api/file=<path>``).  The app is started by the test
with two logins and driven over real HTTP: uploads through ``/gradio_api/upload``, reviews
through gradio_client and the REST ``/gradio_api/call`` route, files fetched with httpx.

* each login fetches its own upload and its annotated .docx; the other login gets 403 for
  both (also through a ``..`` path from its own folder), a request without login 401;
* naming the other login's upload path as the input of a review does not review it;
* two sessions at once, near-identical reports with marker strings: nothing either session
  is shown or can download carries the other's marker, file name or title.
"""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

try:
    from ui_server import running_app
except ImportError:  # tests/ imported as a package
    from tests.ui_server import running_app

gradio_client = pytest.importorskip("gradio_client")
httpx = pytest.importorskip("httpx")

USERS = {"甲处审阅员": "pw-jia", "乙处审阅员": "pw-yi"}
MARK = {"甲处审阅员": "甲处专用标记QX7341", "乙处审阅员": "乙处专用标记ZK9052"}
FILE = {"甲处审阅员": "甲处保密办报告.txt", "乙处审阅员": "乙处普通报告.txt"}
OTHER = {"甲处审阅员": "乙处审阅员", "乙处审阅员": "甲处审阅员"}
TITLE = {"甲处审阅员": "城乡困难群众春节慰问", "乙处审阅员": "乡村学校校舍维修"}
SHARED = ("一是预算编制的科学性、精准性有待进一步提高，预算执行进度不够均衡，部分资金在年底集中支付；"
          "二是绩效目标设置不够细化、量化，部分指标难以衡量，绩效自评工作还存在重形式、轻结果的现象。")


def _report(user: str) -> str:
    """Near-identical reports: the same frame and 存在问题, a marker and a title each."""
    return (f"某县某局\n2023年度{TITLE[user]}项目支出绩效自评报告\n一、项目基本情况\n本项目由县局实施。\n"
            f"二、项目资金情况\n全年预算数120万元，全年执行数96万元，预算执行率95%。\n"
            f"三、存在问题\n{SHARED}\n{MARK[user]}项目组自查发现以上问题。\n四、改进措施\n进一步加强管理。\n")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("file_routes")
    with pytest.MonkeyPatch.context() as mp:
        for var in ("OPENAI_BASE_URL", "JIXIAO_MODEL", "JIXIAO_CORPUS"):
            mp.delenv(var, raising=False)
        mp.setenv("JIXIAO_UI_NO_LLM", "1")
        mp.setenv("JIXIAO_UI_AUTH", ",".join(f"{u}:{p}" for u, p in USERS.items()))
        mp.setenv("GRADIO_TEMP_DIR", str(tmp / "gradio"))
        with running_app() as url:
            yield url


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    out = {}
    for user in USERS:
        d = tmp_path_factory.mktemp("upload")
        out[user] = d / FILE[user]
        out[user].write_text(_report(user), "utf-8")
    return out


def _http(url: str, user: str | None) -> httpx.Client:
    c = httpx.Client(base_url=url, timeout=120)
    if user is not None:
        r = c.post("/login", data={"username": user, "password": USERS[user]})
        assert r.status_code == 200, r.text
    return c


def _upload(http: httpx.Client, path: Path) -> str:
    r = http.post("/gradio_api/upload", files=[("files", (path.name, path.read_bytes(), "text/plain"))])
    assert r.status_code == 200, r.text
    return r.json()[0]


def _file(http: httpx.Client, server_path: str) -> httpx.Response:
    return http.get(f"/gradio_api/file={server_path}")


def _client(url: str, user: str):
    return gradio_client.Client(url, auth=(user, USERS[user]), verbose=False, download_files=False)


def _review(client, path: Path) -> tuple:
    from ui.app import KINDS, SEVERITIES

    return client.predict([gradio_client.handle_file(str(path))], SEVERITIES, KINDS, api_name="/on_upload")


def _server_path(filedata) -> str:
    return filedata["path"] if isinstance(filedata, dict) else filedata.path


def _rest_review(http: httpx.Client, server_path: str) -> str:
    """``/gradio_api/call/on_upload`` with a path on the server as the file (what a
    hand-made request can send): the data of the event stream, as readable text."""
    from ui.app import KINDS, SEVERITIES

    data = [[{"path": server_path, "orig_name": Path(server_path).name, "meta": {"_type": "gradio.FileData"}}],
            SEVERITIES, KINDS]
    r = http.post("/gradio_api/call/on_upload", json={"data": data})
    assert r.status_code == 200, r.text
    event = r.json()["event_id"]
    stream = http.get(f"/gradio_api/call/on_upload/{event}").text
    data = [json.loads(line[5:]) for line in stream.splitlines() if line.startswith("data:")]
    assert data, stream
    return json.dumps(data, ensure_ascii=False)


def test_uploads_and_downloads_are_served_to_their_login_only(app_url, reports):
    jia, yi = "甲处审阅员", "乙处审阅员"
    http = {u: _http(app_url, u) for u in USERS}
    anon = _http(app_url, None)

    uploaded = {u: _upload(http[u], reports[u]) for u in USERS}
    for u in USERS:
        mine = _file(http[u], uploaded[u])
        assert mine.status_code == 200 and MARK[u] in mine.content.decode("utf-8")
        assert _file(http[OTHER[u]], uploaded[u]).status_code == 403
        assert _file(anon, uploaded[u]).status_code == 401
        assert _file(http[OTHER[u]], f"{Path(uploaded[u]).parent}/../{Path(uploaded[u]).parent.name}/"
                                     f"{Path(uploaded[u]).name}").status_code == 403

    # the annotated .docx: made in the login's own folder, served to that login only
    docx = {}
    for u in USERS:
        c = _client(app_url, u)
        _review(c, reports[u])
        out = c.predict("0:0", api_name="/annotate")
        docx[u] = _server_path(out[0])
        assert docx[u].endswith(".审阅.docx")
    for u in USERS:
        got = _file(http[u], docx[u])
        assert got.status_code == 200 and got.content[:2] == b"PK"
        assert _file(http[OTHER[u]], docx[u]).status_code == 403
        assert _file(anon, docx[u]).status_code == 401
    # a path from the other login's own folder up into this login's
    own_folder = Path(docx[yi]).parent.parent
    sneaky = f"{own_folder}/../{Path(docx[jia]).parent.parent.name}/{Path(docx[jia]).parent.name}/{Path(docx[jia]).name}"
    assert _file(http[yi], sneaky).status_code == 403
    assert _file(http[jia], sneaky).status_code == 200

    # naming the other login's upload as the input of a review: refused, not reviewed
    stolen = _rest_review(http[yi], uploaded[jia])
    assert MARK[jia] not in stolen and TITLE[jia] not in stolen
    assert "不属于当前登录用户" in stolen
    own = _rest_review(http[yi], uploaded[yi])
    assert "已审阅 1 个文件" in own and TITLE[yi] in own


def _everything(client, http: httpx.Client, outputs) -> tuple[str, list[str]]:
    """Every output as text; the files among them fetched through the file route."""
    texts, files = [], []

    def walk(x):
        if isinstance(x, dict) and "path" in x and ("url" in x or "meta" in x):
            files.append(x["path"])
            r = _file(http, x["path"])
            assert r.status_code == 200, (x["path"], r.status_code)
            texts.append(Path(x["path"]).name)
            if r.content[:2] == b"PK":
                import io

                from docx import Document

                texts.append("\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs))
            else:
                texts.append(r.content.decode("utf-8", "replace"))
        elif isinstance(x, (list, tuple)):
            for y in x:
                walk(y)
        else:
            texts.append(json.dumps(x, ensure_ascii=False, default=str))

    walk(list(outputs) if isinstance(outputs, (list, tuple)) else [outputs])
    return "\n".join(texts), files


def test_two_sessions_at_once_see_and_fetch_only_their_own(app_url, reports):
    barrier = threading.Barrier(len(USERS))

    def session(user: str) -> tuple[str, list[str]]:
        c = _client(app_url, user)
        http = _http(app_url, user)
        barrier.wait()  # both upload at the same moment
        seen, files = [], []
        for out in (_review(c, reports[user]), c.predict("0:0", "存在哪些问题？", [], api_name="/ask"),
                    c.predict("0:0", api_name="/annotate"), c.predict("0:0", api_name="/draft")):
            text, fs = _everything(c, http, out)
            seen.append(text)
            files += fs
        return "\n".join(seen), files

    with ThreadPoolExecutor(len(USERS)) as ex:
        got = dict(zip(USERS, ex.map(session, USERS)))
    for user, (seen, files) in got.items():
        other = OTHER[user]
        assert MARK[user] in seen and FILE[user] in seen  # the user's own report is shown and downloaded
        assert any(f.endswith(".审阅.docx") for f in files)
        assert MARK[other] not in seen and FILE[other] not in seen and Path(FILE[other]).stem not in seen
        assert TITLE[other] not in seen
        http_other = _http(app_url, other)
        for f in files:  # nor can the other login fetch any of this session's files
            assert _file(http_other, f).status_code == 403, f


def test_closing_the_tab_deletes_the_sessions_files(app_url, tmp_path):
    """The session ends (gradio_client closes its heartbeat like a closed tab): its upload
    and its annotated .docx are deleted at once, and their paths are no longer served."""
    user = "甲处审阅员"
    report = tmp_path / "关闭后删除.txt"
    report.write_text(_report(user).replace(MARK[user], "关闭标记PL5520"), "utf-8")
    c = _client(app_url, user)
    _review(c, report)
    docx = _server_path(c.predict("0:0", api_name="/annotate")[0])
    cache = Path(docx).parents[3]
    assert cache.name == "gradio"
    uploads = [p for p in cache.rglob(report.name)]
    assert uploads and Path(docx).is_file()
    http = _http(app_url, user)
    assert _file(http, docx).status_code == 200
    c.close()
    deadline = time.time() + 30
    while time.time() < deadline and (Path(docx).exists() or any(p.exists() for p in uploads)):
        time.sleep(0.5)
    assert not Path(docx).exists() and not any(p.exists() for p in uploads)
    assert _file(http, docx).status_code in (403, 404)


def test_the_same_file_from_two_logins_outlives_one_closed_tab(app_url, tmp_path):
    """Two logins upload the same bytes under the same name (one path in Gradio's cache):
    when one tab closes, the other session keeps its upload and can still annotate it."""
    report = tmp_path / "同一份通知.txt"
    report.write_text(_report("乙处审阅员").replace(MARK["乙处审阅员"], "共用标记MM1234"), "utf-8")
    c = {u: _client(app_url, u) for u in USERS}
    for u in USERS:
        _review(c[u], report)
    cache = Path(_server_path(c["乙处审阅员"].predict("0:0", api_name="/annotate")[0])).parents[3]
    uploads = list(cache.rglob(report.name))
    assert len(uploads) == 1
    c["甲处审阅员"].close()
    time.sleep(3)  # the closed session's state is let go
    assert uploads[0].exists()
    again = _server_path(c["乙处审阅员"].predict("0:0", api_name="/annotate")[0])
    assert _file(_http(app_url, "乙处审阅员"), again).status_code == 200
    assert _file(_http(app_url, "乙处审阅员"), str(uploads[0])).status_code == 200
    assert _file(_http(app_url, "甲处审阅员"), again).status_code == 403
    c["乙处审阅员"].close()
    deadline = time.time() + 30
    while time.time() < deadline and uploads[0].exists():
        time.sleep(0.5)
    assert not uploads[0].exists()  # the last session holding it is gone: so is the file
