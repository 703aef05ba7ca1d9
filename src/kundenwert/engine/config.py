"""Settings of the Spark engine (section ``[spark]`` of ``kundenwert.toml``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SparkSettings(BaseModel):
    """Where the analytics run when the engine is Spark (``--engine spark``)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    master: str = Field(
        "local[2]",
        description="Spark master of the session kundenwert starts: `local[N]` runs on this "
        "machine with N cores, `spark://host:7077` or `yarn` on a cluster. Ignored under "
        "spark-submit, which starts the session itself, and with `remote`.",
    )
    remote: str | None = Field(
        None,
        description="Spark Connect address (`sc://host:15002`); instead of `master`, no Java "
        "needed on this machine (needs pyspark's connect extra: grpcio and its companions).",
    )
    shuffle_partitions: int = Field(
        8,
        ge=1,
        description="`spark.sql.shuffle.partitions`: partitions of each group-by. Spark's own "
        "200 makes small local runs slow; on a cluster two to three times its cores.",
    )
    conf: dict[str, str] = Field(
        default_factory=dict,
        description='Further Spark settings, e.g. `{ "spark.driver.memory" = "4g" }`.',
    )
