"""The framework's own limit: a bare FastAPI endpoint returning a small JSON, served by uvicorn
with the same workers and settings as `laurel serve`. bench/rest_load_bench.py loads it in the
same run as Laurel and prints the ratio, so a busy machine moves both numbers alike."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/bare")
async def bare() -> dict:
    return {"status": "ok", "result": [{"entityId": "bare"}]}
