#pragma once
// How well a classifier suggests types on labelled examples it was not trained on: accuracy with
// the thresholds applied (no type counts as a miss) and without them (the top score alone),
// per-type precision and recall, and the confusion matrix. renderEvaluation() is the fixed-width
// report `latchctl triage eval FILE.jsonl` prints.
//
// Plain values and pure functions; safe from any thread.
#include "triage/classifier.h"
#include "triage/dataset.h"

#include <cstddef>
#include <string>
#include <vector>

namespace latch::triage {

// One example's result: what it is, what was suggested ("" for no type) and the top score's type.
struct Outcome {
    std::string actual;
    std::string predicted;
    std::string top;
};

struct TypeMetrics {
    std::string type;
    std::size_t support = 0; // examples of this type
    std::size_t predicted = 0; // suggestions of this type
    std::size_t correct = 0;
    double precision = 0; // correct / predicted; 0 when nothing was predicted
    double recall = 0; // correct / support; 0 when there is no support
    double f1 = 0;
};

struct Evaluation {
    std::string model; // "fasttext 3f9a1c2b7d10"; "" when tallied by hand
    std::size_t total = 0;
    std::size_t correct = 0; // suggested type == actual
    std::size_t noType = 0; // below threshold: no suggestion
    std::size_t topCorrect = 0; // top-scoring type == actual, thresholds ignored
    double accuracy = 0; // correct / total
    double topAccuracy = 0; // topCorrect / total
    double coverage = 0; // (total - noType) / total
    double answeredPrecision = 0; // correct / (total - noType): how often a suggestion is right

    std::vector<std::string> types; // sorted; row and column order below
    std::vector<TypeMetrics> perType; // in `types` order
    // confusion[actual][predicted], with one extra last column for "no type".
    std::vector<std::vector<std::size_t>> confusion;
};

// Counts outcomes. `knownTypes` adds types that may not occur in them (a model's types).
Evaluation tally(
    const std::vector<Outcome>& outcomes, const std::vector<std::string>& knownTypes = {});

// Predicts every example and tallies the outcomes.
Evaluation evaluate(const Classifier& classifier, const std::vector<Example>& examples);

std::string renderEvaluation(const Evaluation& evaluation);

} // namespace latch::triage
