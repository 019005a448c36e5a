"""The review feature: editors' queue of flags and their decisions on it.

`models` (the flag read model, app label "incidents"), `projection` (its projector), `services`
(raising flags), `decisions` / `merge` / `curation` (what editors decide), `preview`, `words`,
`diff` and `charts` (what the queue shows), `selectors` (its reads), `admin` and `api/`.
"""
