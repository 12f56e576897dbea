#!/usr/bin/env python3
"""Fit bot.sentenceWeights (bot/template.go) from a feature dump.

    NEWSBOT_DB=/tmp/rt.db newsbot ingest ../shared/data/realtimeqa/corpus.jsonl.gz
    NEWSBOT_FIT_DB=/tmp/rt.db NEWSBOT_FIT_OUT=/tmp/feat.jsonl \
        go test ./bot -run TestDumpSentenceFeatures -count=1
    python3 scripts/fit-sentences.py /tmp/feat.jsonl [HALF_A.jsonl HALF_B.jsonl]

Softmax regression over the candidate sentences of each question's top five
passages (the questions with an answer-bearing sentence among them), L2
0.01, plain gradient descent; prints three-fold cross-validated hit rates of
"one of the three best sentences within 500 runes holds the answer" and the
weights fitted on all questions. Given two question files (the halves of
the split: their "id"s), it also prints the hits of each half under the
weights fitted on the other. Standard library only.
"""
import json, math, random, sys

NAMES = ['r1', 'r2', 'r3', 'r4', 'prior', 'cov', 'titlecov', 'passcov',
         'type', 'vote', 'lead', 'index', 'length']


def feats(r):
    f = r['f']
    rk = f['Rank']
    return [1.0 if rk == i else 0.0 for i in range(1, 5)] + [
        f['Prior'], f['Coverage'], f['TitleCoverage'], f['PassageCoverage'],
        1.0 if f['Type'] else 0.0, f['Vote'], 1.0 if f['Index'] == 0 else 0.0,
        min(f['Index'], 10) / 10, math.log1p(f['Runes']) / 6]


def load(path):
    qs = {}
    for line in open(path):
        r = json.loads(line)
        qs.setdefault(r['q'], [])
        if 'none' not in r:
            r['x'] = feats(r)
            qs[r['q']].append(r)
    return qs


def train(qs, qids, l2=0.01, it=600, lr=1.0, maxp=5):
    d = len(NAMES)
    w = [0.0] * d
    groups = [[r for r in qs[q] if r['f']['Rank'] < maxp] for q in qids]
    groups = [g for g in groups if any(r['y'] for r in g)]
    for _ in range(it):
        g = [0.0] * d
        for grp in groups:
            zs = [sum(a * b for a, b in zip(w, r['x'])) for r in grp]
            m = max(zs)
            es = [math.exp(z - m) for z in zs]
            Z = sum(es)
            Y = sum(1.0 for r in grp if r['y'])
            for r, e in zip(grp, es):
                c = e / Z - (1.0 if r['y'] else 0.0) / Y
                for i in range(d):
                    g[i] += c * r['x'][i]
        for i in range(d):
            w[i] -= lr * (g[i] / len(groups) + l2 * w[i])
    return w


def hits(qs, qids, w, maxp=5, k=3, budget=500):
    n = 0
    for q in qids:
        c = [r for r in qs[q] if r['f']['Rank'] < maxp]
        c.sort(key=lambda r: sum(a * b for a, b in zip(w, r['x'])), reverse=True)
        out, tot = [], 0
        for r in c:
            if len(out) == k:
                break
            if out and tot + r['n'] > budget:
                continue
            out.append(r)
            tot += r['n']
        n += any(r['y'] for r in out)
    return n


def main():
    qs = load(sys.argv[1])
    Q = sorted(qs)
    random.seed(2)
    shuffled = Q[:]
    random.shuffle(shuffled)
    folds = [shuffled[i::3] for i in range(3)]
    total = 0
    for i in range(3):
        train_q = [q for j, f in enumerate(folds) if j != i for q in f]
        total += hits(qs, folds[i], train(qs, train_q))
    print('cross-validated: %d of %d (%.1f%%)' % (total, len(Q), 100.0 * total / len(Q)))
    if len(sys.argv) == 4:
        halves = []
        for path in sys.argv[2:]:
            ids = [json.loads(l)['id'] for l in open(path) if l.strip()]
            halves.append([q for q in ids if q in qs])
        a, b = halves
        print('fitted on A, B: %d of %d; fitted on B, A: %d of %d' % (
            hits(qs, b, train(qs, a)), len(b), hits(qs, a, train(qs, b)), len(a)))
    w = train(qs, Q)
    print(json.dumps(dict(zip(NAMES, [round(x, 3) for x in w]))))


if __name__ == '__main__':
    main()
