"""Loopback TLS server for the replica pages, answering at the sites' real host names.

Chromium is started with `--host-resolver-rules` (see `host_resolver_rules()`) so that
`https://mms.pinduoduo.com/orders/list` reaches this server; requests are routed by their
`Host` header. The certificate is self-signed and made at start (tests pass
`--ignore-certificate-errors`). Pure stdlib + `cryptography`.

    srv = ReplicaServer(["pdd-seller", "alibaba-buyer"]).start()
    ... chromium args: f"--host-resolver-rules={srv.host_resolver_rules()}"
    srv.state("pdd-seller")  # {"shipped": [...], "listRequests": n}
    srv.stop()

A large dataset replaces `data.json`: `ReplicaServer(["pdd-seller"],
datasets=replica_data.generate_datasets(500))`, then open `/orders/list?pageSize=500`.

A site can have several layouts (the page as it looked at different times, or a variant
where the platform changed something): `ReplicaServer(["pdd-seller"], layouts={"pdd-seller":
"2026"})`. The original replicas are layout "legacy"; other layouts live in modules under
`tests/support/replicas/` and register themselves with `register_layout`.
"""
from __future__ import annotations

import copy
import datetime as dt
import ipaddress
import json
import random
import ssl
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.support import replica_data

SITES_DIR = replica_data.SITES_DIR
VENDOR_DIR = SITES_DIR / "_vendor"
BEIJING = replica_data.BEIJING

CERT_NAMES = ["mms.pinduoduo.com", "trade.1688.com", "*.1688.com", "*.m.1688.com", "fxg.jinritemai.com",
              "*.taobao.com", "*.kwaixiaodian.com", "*.jd.com", "ark.xiaohongshu.com", "store.weixin.qq.com",
              "mobile.yangkeduo.com", "*.aliexpress.com", "localhost"]

CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".js": "application/javascript; charset=utf-8",
                 ".json": "application/json; charset=utf-8", ".css": "text/css; charset=utf-8"}


def make_self_signed_cert(directory: Path) -> tuple[Path, Path]:
    """A throwaway EC certificate for the replica host names (valid one day)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "danhao replica")])
    now = dt.datetime.now(dt.timezone.utc)
    san = [x509.DNSName(n) for n in CERT_NAMES] + [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(san), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class Reply:
    def __init__(self, status: int = 200, body: bytes | str | dict | list = b"",
                 content_type: str = "application/json; charset=utf-8", headers: dict | None = None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body, ensure_ascii=False)
        self.status = status
        self.body = body.encode("utf-8") if isinstance(body, str) else body
        self.content_type = content_type
        self.headers = headers or {}


def _file(path: Path) -> Reply:
    if not path.is_file():
        return Reply(404, {"error": "not found"})
    return Reply(200, path.read_bytes(), CONTENT_TYPES.get(path.suffix, "application/octet-stream"))


class Site:
    """One replica: its hosts, pages, data and recorded state."""
    site_id = ""
    layout = "legacy"
    hosts: tuple[str, ...] = ()
    pages: dict[str, str] = {}  # real path -> file in the fixture folder
    main_url = ""               # the real URL a person opens first
    subfolder = ""              # the layout's folder under tests/fixtures/sites/<site_id>/

    def __init__(self, dataset: dict | None, delay: tuple[float, float]):
        self.folder = SITES_DIR / self.site_id / self.subfolder if self.subfolder else SITES_DIR / self.site_id
        self._initial = dataset if dataset is not None else self.load_dataset()
        self.delay = delay
        self.lock = threading.Lock()
        self.reset()

    def load_dataset(self) -> dict:
        return replica_data.load_dataset(self.site_id)

    def reset(self) -> None:
        with self.lock:
            self.data = copy.deepcopy(self._initial)
            self.st = self.fresh_state()

    def fresh_state(self) -> dict:
        return {}

    def state(self) -> dict:
        with self.lock:
            return copy.deepcopy(self.st)

    def latency(self) -> None:
        lo, hi = self.delay
        if hi > 0:
            time.sleep(random.uniform(lo, hi))

    def handle(self, method: str, path: str, query: dict, body: bytes, headers) -> Reply:
        if method == "GET" and path in self.pages:
            return _file(self.folder / self.pages[path])
        if method == "GET" and path.startswith("/__replica/assets/"):
            name = path.rsplit("/", 1)[-1]
            return _file(self.folder / name) if name.endswith(".js") else Reply(404)
        if method == "GET" and path.startswith("/__replica/vendor/"):
            return _file(VENDOR_DIR / path.rsplit("/", 1)[-1])
        if method == "GET" and path == "/__replica/state":
            return Reply(200, self.state())
        if method == "POST" and path == "/__replica/reset":
            self.reset()
            return Reply(200, {"ok": True})
        if path == "/favicon.ico":
            return Reply(204, b"", "image/x-icon")
        return self.api(method, path, query, body, headers)

    def api(self, method, path, query, body, headers) -> Reply:
        return Reply(404, {"error": f"no route {method} {path}"})


def _json_body(body: bytes) -> dict:
    try:
        value = json.loads(body.decode("utf-8") or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _int(value, default: int, lo: int, hi: int) -> int:
    try:
        return max(lo, min(hi, int(value)))
    except (TypeError, ValueError):
        return default


class PddSeller(Site):
    site_id = "pdd-seller"
    hosts = ("mms.pinduoduo.com",)
    pages = {"/orders/list": "list.html"}
    main_url = "https://mms.pinduoduo.com/orders/list?msfrom=mms_sidenav&tab=0"

    def fresh_state(self) -> dict:
        return {"shipped": [], "listRequests": 0}

    def api(self, method, path, query, body, headers) -> Reply:
        if method == "POST" and path == "/mangkhut/mms/recentOrderList":
            req = _json_body(body)
            page = _int(req.get("pageNumber"), 1, 1, 10**6)
            size = _int(req.get("pageSize"), 10, 1, 500)  # real PDD caps the page size too
            self.latency()
            with self.lock:
                self.st["listRequests"] += 1
                orders = self.data["orders"]
                items = copy.deepcopy(orders[(page - 1) * size: page * size])
                total = len(orders)
            return Reply(200, {"success": True, "errorCode": 1000000, "errorMsg": None,
                               "result": {"totalItemNum": total, "pageItems": items}})
        if method == "POST" and path == "/mangkhut/mms/shipOrder":
            req = _json_body(body)
            sn = str(req.get("orderSn", ""))
            courier = str(req.get("shippingName", ""))
            number = str(req.get("trackingNumber", ""))
            self.latency()
            with self.lock:
                rec = next((o for o in self.data["orders"] if o["order_sn"] == sn), None)
                if rec is None:
                    return Reply(200, {"success": False, "errorCode": 54001, "errorMsg": "订单不存在"})
                if rec["order_status"] != 1:
                    return Reply(200, {"success": False, "errorCode": 54002, "errorMsg": "订单状态已变更，请刷新页面"})
                if not courier or (not number and courier != "无物流发货"):
                    return Reply(200, {"success": False, "errorCode": 54003, "errorMsg": "请填写完整的物流信息"})
                rec["order_status"], rec["order_status_str"] = 2, "已发货"
                self.st["shipped"].append({
                    "orderSn": sn, "shippingName": courier, "trackingNumber": number,
                    "at": dt.datetime.now(BEIJING).isoformat(timespec="seconds"),
                    # who pressed 确认发货: "user" for a trusted (real or CDP-driven) click,
                    # "script" for element.click()/dispatchEvent from page or content script.
                    "by": headers.get("X-Replica-Confirmed-By", "unknown"),
                })
            return Reply(200, {"success": True, "errorCode": 1000000, "errorMsg": None, "result": True})
        return super().api(method, path, query, body, headers)


class AlibabaBuyer(Site):
    site_id = "alibaba-buyer"
    hosts = ("trade.1688.com",)
    pages = {"/order/buyer_order_list.htm": "buyer_order_list.html"}
    main_url = "https://trade.1688.com/order/buyer_order_list.htm"
    STATUS_FILTER = {"waitbuyerreceive": {"等待买家收货", "已发货"}, "waitsellersend": {"等待卖家发货"},
                     "success": {"交易成功"}}

    def fresh_state(self) -> dict:
        return {"listRequests": []}

    def api(self, method, path, query, body, headers) -> Reply:
        if method == "GET" and path == "/order/buyer_order_list_data.json":
            page = _int(query.get("page", ["1"])[0], 1, 1, 10**6)
            size = _int(query.get("pageSize", ["5"])[0], 5, 1, 500)
            wanted = self.STATUS_FILTER.get(query.get("trade_status", [""])[0])
            self.latency()
            with self.lock:
                self.st["listRequests"].append(page)
                orders = [o for o in self.data["orders"] if wanted is None or o["statusText"] in wanted]
                items = copy.deepcopy(orders[(page - 1) * size: page * size])
            return Reply(200, {"success": True, "data": {"page": page, "pageSize": size,
                                                         "total": len(orders), "orders": items}})
        return super().api(method, path, query, body, headers)


SITE_CLASSES: dict[tuple[str, str], type[Site]] = {}


def register_layout(cls: type[Site]) -> type[Site]:
    """Class decorator: makes `cls` servable as (cls.site_id, cls.layout)."""
    SITE_CLASSES[(cls.site_id, cls.layout)] = cls
    return cls


for _cls in (PddSeller, AlibabaBuyer):
    register_layout(_cls)


def _load_layout_modules() -> None:
    """Imports every module of tests/support/replicas/ (each registers its layouts)."""
    import importlib
    import pkgutil

    from tests.support import replicas
    for info in pkgutil.iter_modules(replicas.__path__):
        importlib.import_module(f"tests.support.replicas.{info.name}")


def layouts_of(site_id: str) -> list[str]:
    _load_layout_modules()
    return sorted(layout for sid, layout in SITE_CLASSES if sid == site_id)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "replica"

    def log_message(self, fmt, *args):  # quiet
        pass

    def _serve(self, method: str) -> None:
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        sites = self.server.by_host.get(host) or []
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        reply = Reply(421, {"error": f"no replica for host {host!r}"})
        # Several replicas may answer on one host (trade.taobao.com serves the seller's sold list
        # and the buyer's bought list): the first that knows the path answers.
        for site in sites:
            url = urlsplit(self.path)
            try:
                reply = site.handle(method, url.path, parse_qs(url.query), body, self.headers)
            except Exception as exc:  # a bug in a replica must show, not hang the page
                reply = Reply(500, {"error": repr(exc)})
            if reply.status != 404:
                break
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Cache-Control", "no-store")
        for k, v in reply.headers.items():
            self.send_header(k, v)
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(reply.body)

    def do_GET(self):
        self._serve("GET")

    def do_HEAD(self):
        self._serve("HEAD")

    def do_POST(self):
        self._serve("POST")

    def do_OPTIONS(self):
        # CORS preflights of pages that call another host (千牛 → trade.taobao.com, 京东 → sff.jd.com).
        self._serve("OPTIONS")


class _TLSServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, handler, context: ssl.SSLContext, by_host: dict):
        self.context = context
        self.by_host = by_host
        super().__init__(addr, handler)

    def finish_request(self, request, client_address):
        # Handshake in the worker thread, so a silent client cannot stall the accept loop.
        try:
            request = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        try:
            super().finish_request(request, client_address)
        finally:
            try:
                request.close()
            except OSError:
                pass

    def shutdown_request(self, request):
        try:
            request.close()
        except OSError:
            pass


class ReplicaServer:
    def __init__(self, site_ids=("pdd-seller", "alibaba-buyer"), datasets: dict | None = None,
                 delay: tuple[float, float] = (0.1, 0.4), layouts: dict[str, str] | None = None):
        """`datasets` maps a site id to a dataset (the shape of its data.json) replacing the
        fixture data; `delay` is the random latency (seconds) of the list/ship endpoints;
        `layouts` maps a site id to the layout to serve (default "legacy")."""
        _load_layout_modules()
        layouts = layouts or {}
        keys = [(sid, layouts.get(sid, "legacy")) for sid in site_ids]
        unknown = [k for k in keys if k not in SITE_CLASSES]
        if unknown:
            raise ValueError(f"no replica for {unknown}; known: {sorted(SITE_CLASSES)}")
        datasets = datasets or {}
        self.sites = {sid: SITE_CLASSES[(sid, layout)](datasets.get(sid), delay) for sid, layout in keys}
        self._httpd: _TLSServer | None = None
        self._thread: threading.Thread | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None

    def start(self) -> "ReplicaServer":
        self._tmp = tempfile.TemporaryDirectory(prefix="danhao-replica-")
        cert, key = make_self_signed_cert(Path(self._tmp.name))
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        by_host: dict[str, list[Site]] = {}
        for site in self.sites.values():
            for h in site.hosts:
                by_host.setdefault(h, []).append(site)
        self._httpd = _TLSServer(("127.0.0.1", 0), _Handler, ctx, by_host)
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="replica-server",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._tmp:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd, "server not started"
        return self._httpd.server_address[1]

    def host_resolver_rules(self) -> str:
        hosts = [h for site in self.sites.values() for h in site.hosts]
        return ",".join(f"MAP {h}:443 127.0.0.1:{self.port}" for h in hosts)

    def state(self, site_id: str) -> dict:
        return self.sites[site_id].state()

    def reset(self, site_id: str | None = None) -> None:
        for sid, site in self.sites.items():
            if site_id in (None, sid):
                site.reset()

    def url(self, site_id: str) -> str:
        """The real URL of the site's main page (in the layout served)."""
        return self.sites[site_id].main_url

    def layout(self, site_id: str) -> str:
        return self.sites[site_id].layout
