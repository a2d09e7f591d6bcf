"""SSRF: webhook targets in every encoding we could think of, refused unless public or
allowed by the operator; DNS names judged by what they resolve to."""

from __future__ import annotations

import ipaddress

import pytest

from threadline.watch import UnsafeTarget
from threadline.watch.ssrf import check_target

# Names a stub resolver answers (no network in tests): a rebinding-style name that
# resolves to a private address among public ones, and a public name.
DNS = {
    "internal.example": ["10.1.2.3"],
    "metadata.example": ["169.254.169.254"],
    "mixed.example": ["93.184.215.14", "192.168.0.7"],
    "six.example": ["fd00::1"],
    "mapped.example": ["::ffff:127.0.0.1"],
    "public.example": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
}


def resolver(host: str, port: int) -> list[str]:
    return DNS.get(host, [])


REFUSED = [
    "http://127.0.0.1/",
    "http://127.1/",  # short form
    "http://2130706433/",  # decimal
    "http://0x7f000001/",  # hex
    "http://0x7f.0.0.1/",  # hex octet
    "http://0177.0.0.1/",  # octal
    "http://017700000001/",  # octal, whole
    "http://0/",  # unspecified
    "http://0.0.0.0/",
    "http://[::]/",
    "http://[::1]/",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
    "http://[::ffff:7f00:1]/",  # the same, in hex
    "http://[::ffff:10.0.0.1]/",
    "http://[64:ff9b::a00:1]/",  # NAT64 of 10.0.0.1
    "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",  # shared address space (carrier NAT)
    "http://169.254.169.254/latest/meta-data/",  # link-local: cloud metadata
    "http://[fe80::1]/",
    "http://[fe80::1%25eth0]/",  # with a zone
    "http://[fd12:3456::1]/",  # unique local
    "http://224.0.0.1/",  # multicast
    "http://[ff02::1]/",
    "http://240.0.0.1/",  # reserved
    "http://255.255.255.255/",  # broadcast
    "http://198.18.0.1/",  # benchmarking
    "http://192.0.2.1/",  # documentation
    "http://[2001:db8::1]/",
    "https://127.0.0.1:8443/hook",
    "http://internal.example/",
    "http://metadata.example/",
    "http://mixed.example/",  # one private answer is enough
    "http://six.example/",
    "http://mapped.example/",
    "http://nowhere.example/",  # resolves to nothing
    "ftp://93.184.215.14/",  # not http(s)
    "file:///etc/passwd",
    "http://user:pass@93.184.215.14/",  # credentials in the URL
    "http:///nohost",
    "http://[::1/",  # broken
]


@pytest.mark.parametrize("url", REFUSED)
def test_unsafe_targets_are_refused(url: str) -> None:
    assert len(REFUSED) >= 30
    with pytest.raises(UnsafeTarget, match="webhook"):
        check_target(url, (), resolver)


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("https://public.example/hook", "93.184.215.14"),
        ("http://93.184.215.14:8080/x?y=1", "93.184.215.14"),
        (
            "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/",
            "2606:2800:21f:cb07:6820:80da:af6b:8b2c",
        ),
    ],
)
def test_public_targets_pass_and_name_the_address_to_connect_to(url: str, address: str) -> None:
    target = check_target(url, (), resolver)
    assert target.address == address


def test_the_operator_may_allow_a_network() -> None:
    allowed = [ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("127.0.0.1/32")]
    assert check_target("http://internal.example/h", allowed, resolver).address == "10.1.2.3"
    assert check_target("http://[::ffff:127.0.0.1]:9/", allowed, resolver).port == 9
    with pytest.raises(UnsafeTarget):
        check_target("http://192.168.1.1/", allowed, resolver)


def test_names_are_resolved_by_the_system_when_no_resolver_is_given() -> None:
    with pytest.raises(UnsafeTarget, match="loopback"):
        check_target("http://localhost:1/")
