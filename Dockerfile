# The job image: the official Flink 2.2 image with ND4J on Flink's parent classpath (lib/) and the
# job jar in usrlib/. ND4J loads native libraries through JavaCPP; a library loaded by one user-code
# classloader cannot be loaded again by the next after a job restart, so it must live in lib/, with
# every one of its dependencies (deploy/standalone/nd4j/pom.xml, the same set the local cluster scripts use).
# The base images are build arguments: the official images by default; scripts/compose-standins builds
# stand-ins for machines without a registry (docker-compose.yml passes them on from .env).
ARG MAVEN_IMAGE=maven:3.9.9-eclipse-temurin-17
ARG FLINK_IMAGE=flink:2.2.0-scala_2.12-java17

FROM ${MAVEN_IMAGE} AS build
# PREBUILT=true takes the jars from target/docker/ in the build context, built there by Maven on the host
# (scripts/compose-standins does, for machines whose containers cannot reach Maven Central); otherwise
# Maven builds them here.
ARG PREBUILT=false
WORKDIR /src
COPY . .
RUN if [ "$PREBUILT" = true ]; then \
      mkdir -p /jars && cp -r target/docker/nd4j-lib target/docker/lstm-forecast-cluster.jar target/docker/lstm-forecast.jar /jars/; \
    else \
      mvn -B -q -ntp -DskipTests package \
      && mvn -B -q -ntp -f deploy/standalone/nd4j/pom.xml dependency:copy-dependencies -DoutputDirectory=/jars/nd4j-lib \
      && cp target/lstm-forecast-cluster.jar target/lstm-forecast.jar /jars/; \
    fi

FROM ${FLINK_IMAGE}
COPY --from=build /jars/nd4j-lib/ /opt/flink/lib/
# The cluster jar (Flink and ND4J come from the image) is the job; the self-contained jar runs the
# command-line tools (produce, tail) in the generator and console containers.
COPY --from=build /jars/lstm-forecast-cluster.jar /opt/flink/usrlib/lstm-forecast.jar
COPY --from=build /jars/lstm-forecast.jar /opt/lstm-forecast/lstm-forecast.jar
COPY jobs /opt/flink/jobs
# Prometheus metrics reporter (shipped in opt/, enabled as a plugin).
# /checkpoints is owned by flink so that the named volume mounted there starts writable for it.
RUN mkdir -p /opt/flink/plugins/metrics-prometheus /checkpoints \
 && cp /opt/flink/opt/flink-metrics-prometheus-*.jar /opt/flink/plugins/metrics-prometheus/ \
 && chown -R flink:flink /opt/flink/usrlib /opt/flink/jobs /opt/flink/plugins/metrics-prometheus /checkpoints
USER flink
