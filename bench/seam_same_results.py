"""Same results before and after a refactoring: a fixed set of searches and vocabulary calls on
one index, printed as JSON (scores included, took_ms dropped), to diff between two trees.

    cd TREE && PYTHONPATH=TREE python bench/seam_same_results.py INDEX_DIR > out.json

(PYTHONPATH=TREE: each tree's own bahth is imported; docs/BENCHMARKS.md, "The backend seam".)
"""
import json
import sys
from bahth import Engine
QUERIES = ["المصري", "سعرية جديدة", '"شالكه سبورتينغ"', "source:alweeam بهطول", "النقطة الواحدة مراحله",
           "ا*", "وزير*", "واشنطون~", "الحكموة", "+النفط -السعودية", "النفط OR الغاز", "title:الرياض",
           "date:2015 الأمطار", "يا أيها الذين آمنوا", "عَلِمَ", "الملك سلمان", '"وزارة الصحة" كورونا', "*طن",
           "category:sport الهلال", "واشن"]
out = {}
with Engine(sys.argv[1]) as e:
    for q in QUERIES:
        for sort in ("relevance", "-date"):
            r = e.search(q, limit=20, sort=sort).to_dict()
            r.pop("took_ms", None)
            out[f"{q}|{sort}"] = r
    out["complete"] = e.complete("الريا")
    out["values"] = e.field_values("source")
    out["roots"] = e.roots_starting("كت")
    out["terms"] = e.term_count()
    out["topic"] = e.rank_topic("ما هي أسعار النفط في السعودية", 30)
print(json.dumps(out, ensure_ascii=False, sort_keys=True, indent=0))
