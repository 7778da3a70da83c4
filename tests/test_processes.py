import threading
from concurrent.futures import Executor, Future, ThreadPoolExecutor

import pytest

from kg.processes import results_in_order


class CountingPool(Executor):
    """Runs each call in a thread pool and counts the calls given to it and not yet taken
    back by `results_in_order`, which takes a result by calling `Future.result`."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=3)
        self.lock = threading.Lock()
        self.outstanding = 0
        self.most_outstanding = 0
        self.submitted = 0

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future = self.pool.submit(fn, *args, **kwargs)
        with self.lock:
            self.submitted += 1
            self.outstanding += 1
            self.most_outstanding = max(self.most_outstanding, self.outstanding)
        taken = future.result

        def result(timeout=None):
            with self.lock:
                self.outstanding -= 1
            return taken(timeout)

        future.result = result  # type: ignore[method-assign]
        return future

    def shutdown(self, wait=True, *, cancel_futures=False) -> None:
        self.pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def slow_square(number: int) -> int:
    # Later items finish first, so order comes from the helper, not from the threads.
    threading.Event().wait(0.001 * (10 - number % 10))
    return number * number


def test_results_come_in_the_order_of_the_items():
    pool = CountingPool()
    with pool:
        assert list(results_in_order(pool, slow_square, range(25), ahead=4)) == [
            number * number for number in range(25)
        ]


def test_no_more_than_ahead_items_wait_in_the_pool():
    pool = CountingPool()
    with pool:
        results = results_in_order(pool, slow_square, range(40), ahead=3)
        assert next(results) == 0
        # Three given, one taken back, and nothing more given until the next is asked for.
        assert pool.submitted == 3
        assert sum(1 for _ in results) == 39
    assert pool.most_outstanding == 3
    assert pool.submitted == 40


def test_an_abandoned_run_gives_the_pool_nothing_more():
    pool = CountingPool()
    with pool:
        results = results_in_order(pool, slow_square, range(1000), ahead=5)
        assert [next(results) for _ in range(3)] == [0, 1, 4]
        results.close()
    assert pool.submitted == 7  # the three taken, and the four given after them


def test_an_abandoned_run_cancels_what_has_not_started():
    release = threading.Event()
    ran: list[int] = []

    def held_from_three(number: int) -> int:
        ran.append(number)
        if number >= 3:
            release.wait(10)
        return number

    with ThreadPoolExecutor(max_workers=1) as pool:
        results = results_in_order(pool, held_from_three, range(100), ahead=4)
        assert [next(results) for _ in range(3)] == [0, 1, 2]
        results.close()  # 3 is running; 4, 5 and 6 wait in the pool's queue
        release.set()
    assert ran == [0, 1, 2, 3]


def test_a_failing_call_raises_where_its_result_is_taken():
    def fail_on_three(number: int) -> int:
        if number == 3:
            raise RuntimeError("three")
        return number

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = results_in_order(pool, fail_on_three, range(6), ahead=2)
        assert [next(results) for _ in range(3)] == [0, 1, 2]
        with pytest.raises(RuntimeError, match="three"):
            next(results)


def test_ahead_must_be_at_least_one():
    with ThreadPoolExecutor(max_workers=1) as pool, pytest.raises(ValueError, match="at least 1"):
        next(results_in_order(pool, slow_square, range(3), ahead=0))
