# The job image: the official Flink 2.2 image with ND4J on Flink's parent classpath (lib/) and the
# job jar in usrlib/. ND4J loads native libraries through JavaCPP; a library loaded by one user-code
# classloader cannot be loaded again by the next after a job restart, so it must live in lib/, with
# every one of its dependencies (deploy/standalone/nd4j/pom.xml, the same set the local cluster scripts use).
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY src src
COPY deploy/standalone/nd4j/pom.xml deploy/standalone/nd4j/pom.xml
RUN mvn -B -q -DskipTests package \
 && mvn -B -q -f deploy/standalone/nd4j/pom.xml dependency:copy-dependencies -DoutputDirectory=/nd4j-lib

FROM flink:2.2.0-scala_2.12-java17
COPY --from=build /nd4j-lib/ /opt/flink/lib/
# The cluster jar (Flink and ND4J come from the image) is the job; the self-contained jar runs the
# command-line tools (produce, tail) in the generator and console containers.
COPY --from=build /src/target/lstm-forecast-cluster.jar /opt/flink/usrlib/lstm-forecast.jar
COPY --from=build /src/target/lstm-forecast.jar /opt/lstm-forecast/lstm-forecast.jar
COPY jobs /opt/flink/jobs
# Prometheus metrics reporter (shipped in opt/, enabled as a plugin).
RUN mkdir -p /opt/flink/plugins/metrics-prometheus \
 && cp /opt/flink/opt/flink-metrics-prometheus-*.jar /opt/flink/plugins/metrics-prometheus/ \
 && chown -R flink:flink /opt/flink/usrlib /opt/flink/jobs /opt/flink/plugins/metrics-prometheus
USER flink
