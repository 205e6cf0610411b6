"""The safety model's quick reading of one message gives scikit-learn's numbers, bit for bit.

``tfidf_row`` skips ``TfidfVectorizer.transform``'s per-call checks (most of its cost); these
tests hold it to the same matrix as ``transform`` on the bot's real artefact, for texts of
every kind (everyday questions, danger, crisis, misspellings, emoji, empty), so the safety
net's verdicts cannot move. Every wording here is written for these tests.
"""

from __future__ import annotations

import numpy as np
import pytest

from bot.conversation.safety import safety_net
from bot.conversation.safety_model import _fast_weights, tfidf_row

TEXTS = [
    "",
    "hola",
    "¿dónde consulto los contratos de obra pública de mi municipio?",
    "quiero proponer más luminarias en la calle de la escuela",
    "mi pareja me esta amenazando con un cuchillo ahorita",
    "ya no quiero seguir, tengo las pastillas aqui",
    "me muero de risa jajaja con ese meme",
    "kiero saver komo pedir informasion al ayuntamiento",
    "🙂🙂 gracias!!!",
    "a a a a a a a a a a a a a a",
]


@pytest.fixture(scope="module")
def vectorizers() -> list[object]:
    model = safety_net().model
    if model is None:
        pytest.skip("no safety model artefact here")
    return [vectorizer for vectorizer, _weights in _fast_weights(model.pipeline)[0]]


@pytest.mark.parametrize("text", TEXTS)
def test_the_quick_row_is_scikit_learns_row(vectorizers: list[object], text: str) -> None:
    net = safety_net()
    features = net.features(text) if text else text
    for vectorizer in vectorizers:
        expected = vectorizer.transform([features])  # type: ignore[attr-defined]
        got = tfidf_row(vectorizer, features)
        assert got.dtype == expected.dtype
        assert got.shape == expected.shape
        assert np.array_equal(got.indices, expected.indices)
        assert np.array_equal(got.indptr, expected.indptr)
        assert np.array_equal(got.data, expected.data)  # exact, not approximately


def test_the_probabilities_are_the_same_as_with_transform() -> None:
    model = safety_net().model
    if model is None:
        pytest.skip("no safety model artefact here")
    net = safety_net()
    parts, intercepts = _fast_weights(model.pipeline)
    for text in TEXTS[1:]:
        features = net.features(text)
        scores = intercepts.copy()
        for vectorizer, weights in parts:
            scores += np.asarray(vectorizer.transform([features]) @ weights).ravel()
        scores = np.exp(scores - scores.max())
        p = scores / scores.sum()
        assert model.probabilities(features) == (float(p[1]), float(p[2]))
