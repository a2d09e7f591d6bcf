"""Errors cross process boundaries intact: a pool hands back the error, not a broken pool."""

from __future__ import annotations

import pickle

from threadline.errors import IngestAborted, InputError, MappingError


def test_input_errors_pickle_as_built() -> None:
    for error in (InputError("a.csv", "bad row", 3), MappingError("m.yml", "no column 'x'")):
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error)
        assert (back.path, back.message, back.line, str(back)) == (
            error.path,
            error.message,
            error.line,
            str(error),
        )
    aborted = IngestAborted(InputError("a.jsonl", "invalid JSON", 1))
    back = pickle.loads(pickle.dumps(aborted))
    assert str(back) == str(aborted) and back.error.line == 1
