"""The embedded default (``HRIS_DELIVERY = "thread"``): a sweeper thread in the web process
delivers due outbox rows, with no Celery and no cron."""
import logging
import threading

from django.db import close_old_connections

from credential_app.hris.engine import setting, sweep

log = logging.getLogger(__name__)


class InProcessSweeper:
    """The embedded default: one daemon thread per process sweeps every
    ``HRIS_SWEEP_SECONDS`` and at once after each event."""

    _lock = threading.Lock()
    _thread = None
    _wake = threading.Event()
    _stop = threading.Event()
    _finished = threading.Condition()
    _idle_rounds = 0  # rounds that found nothing due: what a caller waiting for quiet awaits

    @classmethod
    def wake(cls):
        with cls._lock:
            if cls._thread is None or not cls._thread.is_alive():
                cls._stop.clear()
                cls._thread = threading.Thread(target=cls._run, name="hris-sweeper",
                                               daemon=True)
                cls._thread.start()
        cls._wake.set()

    @classmethod
    def _run(cls):
        while not cls._stop.is_set():
            cls._wake.clear()
            idle = False
            try:
                close_old_connections()
                report = sweep(stop=cls._stop)
                idle = not (report.delivered or report.failed)
            except Exception:  # noqa: BLE001 - keep sweeping; the next round retries
                log.exception("HRIS sweep failed")
            finally:
                close_old_connections()
            with cls._finished:
                cls._idle_rounds += idle
                cls._finished.notify_all()
            cls._wake.wait(setting("HRIS_SWEEP_SECONDS"))

    @classmethod
    def idle_rounds(cls) -> int:
        return cls._idle_rounds

    @classmethod
    def wait_for_idle_round(cls, after: int, timeout: float) -> bool:
        """Wait until a round after the ``after``-th idle one finds nothing due (everything
        due was sent, or is waiting for a retry); False if none did within ``timeout``."""
        with cls._finished:
            return cls._finished.wait_for(lambda: cls._idle_rounds > after, timeout)

    @classmethod
    def running(cls) -> bool:
        return cls._thread is not None and cls._thread.is_alive()

    @classmethod
    def forget_parent_thread(cls):
        """In a freshly forked child: the parent's sweeper thread does not exist here, and
        its lock or events may have been caught mid-use; start from nothing, so the child
        starts a sweeper of its own when it is first woken."""
        cls._lock = threading.Lock()
        cls._thread = None
        cls._wake = threading.Event()
        cls._stop = threading.Event()
        cls._finished = threading.Condition()

    @classmethod
    def stop(cls):
        cls._stop.set()
        cls._wake.set()
