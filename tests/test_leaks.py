"""The leak check itself: it names what a test left open."""

from __future__ import annotations

import socket

import pytest

from mock_zonos.testing.receiver import WebhookReceiver

from .leaks import nothing_left_open


def _start_and_forget_a_receiver(receiver: WebhookReceiver) -> None:
    with nothing_left_open():
        receiver.start()


def _drop_a_socket_in_a_cycle() -> None:
    with nothing_left_open():
        cycle: dict[str, object] = {"socket": socket.socket()}
        cycle["self"] = cycle
        del cycle


def test_a_receiver_left_running_is_caught() -> None:
    receiver = WebhookReceiver()
    with pytest.raises(AssertionError, match=r"threads still running .*webhook-receiver"):
        _start_and_forget_a_receiver(receiver)
    receiver.stop()


def test_a_socket_only_the_garbage_collector_would_find_is_caught() -> None:
    # What made the suite flaky: an unclosed socket in a reference cycle is
    # reported whenever the collector runs, in whatever test runs then.
    with pytest.raises(AssertionError, match=r"unclosed <socket\.socket"):
        _drop_a_socket_in_a_cycle()


def test_a_connection_accepted_as_the_receiver_stops_is_closed() -> None:
    # The leak itself: a socket accepted in the loop turn before the listening
    # socket closed was never handed to aiohttp.
    for _ in range(50):
        with nothing_left_open():
            receiver = WebhookReceiver()
            receiver.start()
            host, port = receiver.url.removeprefix("http://").split(":")
            with socket.create_connection((host, int(port))) as connection:
                connection.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
                receiver.stop()
