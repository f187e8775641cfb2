import threading
import time
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.test import Client

from tenants.models import County
from tenants.orchestration.placement import county_move
from tenants.services import citus


class Probe:
    """Threads requesting a county's pages during a move (by default its public online form, which reads the
    county's schema), counting the answers that are not 200 and the requests that raised. `client` makes each
    thread's client (e.g. one signed in on the county's host); by default an anonymous one."""

    def __init__(self, host: str, threads: int, paths: tuple[str, ...] = ("/online/",),
                 client: Callable[[], Client] | None = None):
        self.host, self.paths = host, paths
        self.client = client or (lambda: Client(HTTP_HOST=host))
        self.requests = self.failed = 0
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.threads = threads
        self._threads: list[threading.Thread] = []

    def _count(self, failed: bool, error: str) -> None:
        with self._lock:
            self.requests += 1
            if failed:
                self.failed += 1
                self.errors.append(error)

    def _run(self, ready: threading.Event) -> None:
        try:
            try:
                client = self.client()
            except Exception as exc:  # noqa: BLE001  (a client that cannot even sign in is a failure too)
                self._count(True, f"client: {exc!r}")
                return
            while not self._stop.is_set():
                for path in self.paths:
                    try:
                        status = client.get(path).status_code
                        self._count(status != 200, f"{path}: HTTP {status}")
                    except Exception as exc:  # noqa: BLE001  (every failure counts, whatever it is)
                        self._count(True, f"{path}: {exc!r}")
                ready.set()
        finally:
            ready.set()
            connections.close_all()

    def __enter__(self) -> "Probe":
        """Start the threads and return once each has made its first round of requests."""
        events = [threading.Event() for _ in range(self.threads)]
        self._threads = [threading.Thread(target=self._run, args=(event,), daemon=True) for event in events]
        for thread in self._threads:
            thread.start()
        for event in events:
            event.wait(timeout=120)
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)


class Command(BaseCommand):
    help = "Move a county's schema to another Citus worker while it serves (citus_schema_move)."

    def add_arguments(self, parser):
        parser.add_argument("--county", required=True, help="the county's slug")
        parser.add_argument("--to-node", required=True, help="HOST:PORT of a worker (see --list)")
        parser.add_argument("--probe", type=int, default=2,
                            help="threads requesting the county's pages during the move (0: none)")

    def handle(self, *args, **o):
        county = County.objects.filter(slug=o["county"]).first()
        if county is None:
            raise CommandError(f"没有标识为 {o['county']} 的县。")
        source = citus.placement(county.schema_name) if citus.active() else None
        host = county.domains.filter(is_primary=True).values_list("domain", flat=True).first() or ""
        probe = Probe(host, o["probe"]) if o["probe"] and host else None
        try:
            if probe:
                with probe:
                    seconds = county_move(county=county, to_node=o["to_node"])
                    time.sleep(0.5)  # a few requests after the switch-over as well
            else:
                seconds = county_move(county=county, to_node=o["to_node"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        where = f"{source[0]}:{source[1]}" if source else "?"
        self.stdout.write(f"{county.name}（{county.schema_name}）已从 {where} 迁到 {o['to_node']}：{seconds:.2f} 秒")
        if probe:
            self.stdout.write(f"迁移期间请求 {probe.requests} 次，失败 {probe.failed} 次")
            for error in probe.errors[:10]:
                self.stdout.write(f"  {error}")
