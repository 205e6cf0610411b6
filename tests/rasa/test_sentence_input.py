"""DIET and the FAQ selector trained on the sentence input (nlu/components/sentence_input.py).

The component rests on one claim about Rasa 3.6: without transformer layers, what a message's
tokens carry never reaches the answer. The first test checks the claim on Rasa's own classifier
(the same trained weights give the same confidences whatever the tokens say); the second, that
the selector trained on the sentence input still picks the answer its examples ask for; the
third, that skipping the stacking of the per-token matrices gives the very same model input.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from bot.config import PROJECT_ROOT, get_settings

COMMON = """
import json, sys, tempfile, logging
from pathlib import Path
sys.path.insert(0, "nlu")
logging.disable(logging.WARNING)
import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.shared.nlu.constants import TEXT
from rasa.utils.tensorflow.constants import SEQUENCE, SEQUENCE_LENGTH
from rasa.utils.tensorflow.model_data import FeatureArray, ragged_array_to_ndarray
from components.sentence_input import SentenceResponseSelector
from rasa.nlu.classifiers.diet_classifier import DIETClassifier

storage = LocalModelStorage(Path(tempfile.mkdtemp()))
context = ExecutionContext(GraphSchema({}), "test")
made = [0]

def make(cls, **config):
    made[0] += 1
    return cls.create({**cls.get_default_config(), **config}, storage, Resource(f"r{made[0]}"),
                      context)

EXAMPLES = {
    "plazo": ["cuanto tarda la respuesta de mi solicitud", "en cuantos dias me contestan",
              "cual es el plazo para que respondan", "ya paso un mes y nadie me responde"],
    "costo": ["cuanto cuesta pedir informacion", "tengo que pagar por la solicitud",
              "es gratis preguntar al gobierno", "me cobran las copias"],
    "centro": ["donde hay un centro de atencion a mujeres", "necesito un lugar donde me ayuden",
               "a donde voy si mi pareja me pega", "quiero hablar con alguien en persona"],
}

def featurised(intent_prefix):
    messages = []
    for key, texts in EXAMPLES.items():
        for text in texts:
            data = {"text": text, "intent": intent_prefix.rstrip("/") if intent_prefix else key}
            if intent_prefix:
                data["intent_response_key"] = intent_prefix + key
            messages.append(Message(data=data))
    responses = {f"utter_{intent_prefix}{k}": [{"text": k}] for k in EXAMPLES} if intent_prefix else {}
    data = TrainingData(messages, responses=responses)
    steps = [make(WhitespaceTokenizer), make(CountVectorsFeaturizer),
             make(CountVectorsFeaturizer, analyzer="char_wb", min_ngram=2, max_ngram=4)]
    for step in steps:
        if hasattr(step, "train") and not isinstance(step, WhitespaceTokenizer):
            step.train(data)
        step.process_training_data(data)
    return data, steps

def message(text, steps):
    m = Message(data={"text": text})
    for step in steps:
        step.process([m])
    return m
"""

TOKENS_NEVER_REACH = COMMON + """
data, steps = featurised("")
diet = make(DIETClassifier, epochs=15, number_of_transformer_layers=0, entity_recognition=False,
            batch_size=[8, 8], random_seed=3)
diet.train(data)

def scores(model_data):
    return diet.model.run_inference(model_data)["i_scores"][0]

def first_token(model_data):
    text = model_data.data[TEXT]
    text[SEQUENCE] = [FeatureArray(ragged_array_to_ndarray(
        [scipy.sparse.coo_matrix(m.tocsr()[:1]) for m in f]), number_of_dimensions=3)
        for f in text[SEQUENCE]]
    text[SEQUENCE_LENGTH] = []
    model_data.add_lengths(TEXT, SEQUENCE_LENGTH, TEXT, SEQUENCE)
    return model_data

differences = []
for text in ["oigan cuanto me van a cobrar por la informacion que pedi hace rato",
             "mi pareja me pega donde me pueden ayudar", "plazo"]:
    m = message(text, steps)
    full = scores(diet._create_model_data([m], training=False))
    cut = scores(first_token(diet._create_model_data([m], training=False)))
    differences.append(float(np.max(np.abs(full - cut))))
print(json.dumps({"differences": differences}))
"""

SELECTOR_ANSWERS = COMMON + """
data, steps = featurised("faq/")
selector = make(SentenceResponseSelector, retrieval_intent="faq", epochs=40, batch_size=[8, 8],
                random_seed=3)
selector.train(data)
answers = {}
for text in ["cuanto me cobran por pedir la informacion", "donde hay un centro que ayude a mujeres",
             "en cuantos dias responden mi solicitud"]:
    m = message(text, steps)
    selector.process([m])
    answers[text] = m.get("response_selector")["faq"]["response"]["intent_response_key"]
model_data = selector._create_model_data([message("plazo de respuesta", steps)], training=False)
sequence = model_data.data[TEXT][SEQUENCE][0]
print(json.dumps({"answers": answers, "input_kind": selector.model_input_kind,
                  "sequence": [int(sequence[0].shape[0]), int(sequence[0].shape[1])]}))
"""

SAME_INPUT_WITHOUT_STACKING = COMMON + """
import scipy.sparse as sparse
import rasa.utils.train_utils as train_utils
from rasa.nlu.featurizers.sparse_featurizer.lexical_syntactic_featurizer import (
    LexicalSyntacticFeaturizer)
from rasa.nlu.featurizers.sparse_featurizer.regex_featurizer import RegexFeaturizer
from components.sentence_input import SentenceDIETClassifier

def featurised_all(intent_prefix):
    data, steps = featurised(intent_prefix)
    data.regex_features = [{"name": "dinero", "pattern": "cobr|pag|cuest"}]
    extra = [make(RegexFeaturizer), make(LexicalSyntacticFeaturizer)]
    for step in extra:
        step.train(data)
        step.process_training_data(data)
    return data, steps + extra

def described(model_data):
    out = {}
    for key, sub in model_data.data.items():
        for sub_key, arrays in sub.items():
            for i, array in enumerate(arrays):
                rows = []
                for m in array:
                    if sparse.issparse(m):
                        rows.append((m.format, str(m.dtype), m.shape, m.toarray().tolist()))
                    else:
                        m = np.asarray(m)
                        rows.append((str(m.dtype), m.shape, m.tolist()))
                out[f"{key}/{sub_key}/{i}"] = (array.number_of_dimensions, rows)
    return out, repr(model_data.sparse_feature_sizes)

def tensors(model_data):
    generator, _ = train_utils.create_data_generators(
        model_data=model_data, batch_sizes=64, epochs=1, shuffle=False)
    return [[(str(np.asarray(x).dtype), np.asarray(x).tolist()) for x in generator[i][0]]
            for i in range(len(generator))]

stacks = [0]
original_hstack = sparse.hstack
def counted_hstack(*args, **kwargs):
    stacks[0] += 1
    return original_hstack(*args, **kwargs)
sparse.hstack = counted_hstack

def both(cls, build):
    seen = []
    for skipped in (False, True):
        cls.stack_skipped = skipped
        stacks[0] = 0
        model_data = build()
        seen.append(((described(model_data), tensors(model_data)), stacks[0]))
    cls.stack_skipped = True
    return {"same": seen[0][0] == seen[1][0], "stacks": [seen[0][1], seen[1][1]]}

found = {}
for name, cls, prefix, config in [
        ("diet", SentenceDIETClassifier, "",
         dict(number_of_transformer_layers=0, entity_recognition=False)),
        ("selector", SentenceResponseSelector, "faq/", dict(retrieval_intent="faq"))]:
    data, steps = featurised_all(prefix)
    component = make(cls, epochs=1, batch_size=[8, 8], random_seed=3, **config)
    found[name + " training"] = both(cls, lambda: component.preprocess_train_data(data))
    for text in ["oye cuanto me cobran si pido copias certificadas", "plazo",
                 "¿¿dónde hay un CENTRO?? 555 1234", "a"]:
        m = message(text, steps)
        found[name + " " + text] = both(
            cls, lambda: component._create_model_data([m], training=False))
print(json.dumps({"found": found}))
"""


def _run(script: str) -> dict:
    python = get_settings().rasa_venv / "bin" / "python"
    if not python.exists():
        pytest.skip(".venv-rasa no existe (make setup)")
    done = subprocess.run([str(python), "-W", "ignore", "-c", script], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=600, check=True,
                          env={"TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": str(PROJECT_ROOT),
                               "PATH": "/usr/bin:/bin"})
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_messages_tokens_never_reach_the_answer_without_transformer_layers() -> None:
    result = _run(TOKENS_NEVER_REACH)
    assert max(result["differences"]) < 1e-6


def test_the_selector_on_the_sentence_input_answers_what_its_examples_ask() -> None:
    result = _run(SELECTOR_ANSWERS)
    assert result["answers"] == {
        "cuanto me cobran por pedir la informacion": "faq/costo",
        "donde hay un centro que ayude a mujeres": "faq/centro",
        "en cuantos dias responden mi solicitud": "faq/plazo",
    }
    assert result["input_kind"] == "sentence"
    assert result["sequence"] == [1, 1]  # one constant token with one feature


def test_the_model_input_is_the_same_without_stacking_the_per_token_matrices() -> None:
    found = _run(SAME_INPUT_WITHOUT_STACKING)["found"]
    assert len(found) == 10
    for name, result in found.items():
        assert result["same"], name  # every array, dtype, shape, value and tensor
        stacked, skipped = result["stacks"]
        assert skipped < stacked, name  # the per-token matrices are no longer stacked
