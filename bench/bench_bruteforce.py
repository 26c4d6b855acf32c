#!/usr/bin/env python
"""Key-file brute-force cost: common passphrases tried against a real key file.

    .venv/bin/python bench/bench_bruteforce.py              # 30 guesses, extrapolated to 1,000
    .venv/bin/python bench/bench_bruteforce.py --all        # all 1,000 (~20 minutes here)
    .venv/bin/python bench/bench_bruteforce.py --sample 100 --kdf-every 5

Not a test: it prints figures (see bench/README.md, "Key-file brute-force cost").

A copied database is opened by its data key, which exists on disk only wrapped in the key file
(``outreach-desk.key``) under a key derived from the passphrase with Argon2id. Guessing the
passphrase therefore costs one Argon2id derivation per guess. This script:

1. makes a key file with the store's default parameters (``keystore.DEFAULT_KDF``) and a
   passphrase that is not on the list;
2. tries the list's passphrases through the real unwrap path (``keystore.unwrap_data_key``:
   read and check the file, Argon2id with the parameters written in it, AES-GCM), timing each
   guess; every guess must be refused;
3. measures the KDF's own cost separately (``Argon2id.derive`` with the same parameters, one
   run after each guess so that both see the same load), which is what the parameters promise
   per guess;
4. prints seconds per guess, the promised cost, their ratio, and the time for 1,000 guesses:
   measured with ``--all``, else projected from the sample (mean seconds per guess × 1,000).

The 1,000 passphrases are generated (no list is downloaded): 50 of the most common passwords and
Japanese words and place names, each with 20 common endings (years, digits, ``!``). What a guess
costs does not depend on which passphrase it is. An attacker with a GPU or a dedicated machine
runs guesses in parallel; Argon2id's 128 MiB per guess is what limits how many at once.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id  # noqa: E402

from outreach_desk import keystore  # noqa: E402
from outreach_desk.errors import WrongPassphrase  # noqa: E402

WORDS = [
    "password", "123456", "12345678", "qwerty", "abc123", "111111", "iloveyou", "admin",
    "welcome", "monkey", "dragon", "letmein", "sunshine", "princess", "football", "baseball",
    "master", "shadow", "superman", "trustno1", "passw0rd", "qwertyuiop", "1q2w3e4r", "zaq12wsx",
    "asdfghjkl", "sakura", "himawari", "doraemon", "pikachu", "arigatou", "daisuki", "nihon",
    "tokyo", "osaka", "miyazaki", "kobayashi", "nojiri", "suki", "kirishima", "ebino",
    "yamanami", "kirishimayama", "outreach", "fukushi", "shakaifukushi", "hikikomori",
    "kyoudai", "tanaka", "satou", "suzuki",
]
ENDINGS = ["", "1", "12", "123", "1234", "12345", "!", "!!", "2020", "2021", "2022", "2023",
           "2024", "2025", "2026", "0000", "01", "99", "@123", "_2026"]
SECRET = "やまなみ と きりしま と ひなもり 2026"  # the passphrase actually used: not on the list


def common_passphrases(count: int = 1000) -> list[str]:
    """``count`` distinct guesses, most likely first (every word with every ending)."""
    guesses: list[str] = []
    for ending in ENDINGS:
        for word in WORDS:
            guess = word + ending
            if guess not in guesses:
                guesses.append(guess)
    return guesses[:count]


def kdf_once(params: keystore.KdfParams, index: int) -> float:
    """Seconds for one Argon2id derivation with ``params`` (the cost the parameters promise)."""
    kdf = Argon2id(salt=index.to_bytes(16, "big"), length=32, iterations=params.iterations,
                   lanes=params.lanes, memory_cost=params.memory_kib)
    started = time.perf_counter()
    kdf.derive(f"guess {index}".encode())
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=30, help="guesses to time (default 30)")
    parser.add_argument("--all", action="store_true", help="try all 1,000 guesses")
    parser.add_argument("--kdf-every", type=int, default=1, metavar="N",
                        help="time one Argon2id derivation on its own after every N-th guess "
                             "(default 1: after each, so both see the same machine load)")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    args = parser.parse_args(argv)
    params = keystore.DEFAULT_KDF
    guesses = common_passphrases()
    tried = guesses if args.all else guesses[:args.sample]
    with tempfile.TemporaryDirectory() as folder:
        key_file = Path(folder) / "outreach-desk.key"
        keystore.create_key_file(key_file, SECRET, params)
        assert keystore.kdf_params(key_file) == params
        times, promised, opened = [], [], 0
        for index, guess in enumerate(tried):
            started = time.perf_counter()
            try:
                keystore.unwrap_data_key(key_file, guess)
                opened += 1
            except WrongPassphrase:
                pass
            times.append(time.perf_counter() - started)
            if index % max(1, args.kdf_every) == 0:
                promised.append(kdf_once(params, index))
        right = keystore.unwrap_data_key(key_file, SECRET)  # the file does open
        assert len(right) == keystore.DATA_KEY_BYTES

    per_guess, kdf = statistics.mean(times), statistics.mean(promised)
    figures = {
        "kdf": {"memory_kib": params.memory_kib, "iterations": params.iterations,
                "lanes": params.lanes},
        "guesses_tried": len(tried), "guesses_that_opened": opened, "all": args.all,
        "seconds_per_guess_mean": per_guess, "seconds_per_guess_median": statistics.median(times),
        "seconds_per_guess_min": min(times), "kdf_seconds_mean": kdf,
        "kdf_seconds_median": statistics.median(promised), "kdf_seconds_min": min(promised),
        "kdf_runs": len(promised), "ratio_guess_to_kdf": per_guess / kdf,
        "seconds_for_1000": sum(times) if args.all else per_guess * 1000,
        "seconds_for_1000_promised": kdf * 1000,
    }
    f = figures
    print(f"key file: Argon2id {params.memory_kib // 1024} MiB, {params.iterations} passes, "
          f"{params.lanes} lanes (keystore.DEFAULT_KDF)")
    print(f"guesses tried through unwrap_data_key: {f['guesses_tried']} "
          f"({'all' if args.all else 'a sample'} of 1,000 common passphrases); "
          f"opened the file: {opened}")
    print(f"seconds per guess: mean {per_guess:.3f}, median {f['seconds_per_guess_median']:.3f},"
          f" min {f['seconds_per_guess_min']:.3f}")
    print(f"promised per guess (Argon2id derive alone, {len(promised)} runs interleaved with the "
          f"guesses): mean {kdf:.3f} s, median {f['kdf_seconds_median']:.3f} s, min "
          f"{f['kdf_seconds_min']:.3f} s; guess ÷ KDF (means) = {f['ratio_guess_to_kdf']:.2f}")
    how = "measured" if args.all else "projected from the sample"
    print(f"1,000 guesses on this machine, one at a time: {f['seconds_for_1000']:.0f} s "
          f"({f['seconds_for_1000'] / 60:.1f} min, {how}); the parameters promise "
          f"{f['seconds_for_1000_promised']:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0 if opened == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
