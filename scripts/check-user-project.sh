#!/usr/bin/env bash
# Checks that Recurra works from a user's own Maven project, as README.md's "Using it" section tells users:
#   1. installs every artifact of this clone, the BOM included (mvn install -DskipTests);
#   2. makes a new Maven project in a temporary directory outside the repository whose pom.xml is built from the
#      README's snippets exactly as written there (the BOM import and recurra-backend-cpu dependency, the Surefire
#      argLine plugin and the exec-maven-plugin plugin), plus Guice, JUnit and the usual plugin versions;
#   3. takes the README's Example.java verbatim, plus a small test that the Surefire snippet's argLine reaches the
#      test JVM;
#   4. builds it (mvn package: compile and test) and runs the example (mvn exec:exec), and checks the accuracy line it
#      prints against a floor.
# Each README block used is the fenced block that follows a marker line <!-- user-example: NAME -->.
# Needs MNIST in $RECURRA_DATA or ~/.cache/recurra/mnist (scripts/fetch-mnist.sh).
# Environment: RECURRA_CHECK_FLOOR (default 0.85) the lowest accepted test accuracy; RECURRA_CHECK_MAVEN_ARGS extra
# arguments for every mvn call (for example "-o -Dmaven.repo.local=/some/repo" to install elsewhere than ~/.m2);
# RECURRA_CHECK_KEEP=1 keeps the temporary project.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
readme=$root/README.md
floor=${RECURRA_CHECK_FLOOR:-0.85}
read -r -a mvnargs <<< "${RECURRA_CHECK_MAVEN_ARGS:-}"
data=${RECURRA_DATA:-$HOME/.cache/recurra/mnist}
start=$(date +%s)

fail() { echo "check-user-project: $*" >&2; exit 1; }

# the fenced block after <!-- user-example: $1 -->, without its fences; fails if there is none
block() {
  local text
  text=$(awk -v name="$1" '
    $0 == "<!-- user-example: " name " -->" { found = 1; next }
    found == 1 && /^```/ { found = 2; next }
    found == 2 && /^```/ { exit }
    found == 2 { print }
  ' "$readme")
  [ -n "$text" ] || fail "README.md has no fenced block after <!-- user-example: $1 -->"
  printf '%s\n' "$text"
}

[ -f "$data/t10k-labels-idx1-ubyte" ] || [ -f "$data/t10k-labels-idx1-ubyte.gz" ] \
  || fail "no MNIST in $data: run scripts/fetch-mnist.sh first"

example=$(block Example.java)
dependencies=$(block dependencies)
surefire=$(block surefire)
exec_plugin=$(block exec)
grep -q '^public class Example ' <<< "$example" || fail "the README example must declare 'public class Example'"
grep -q 'public static void main' <<< "$example" || fail "the README example must have a main method"
grep -q '<argLine>--add-modules jdk.incubator.vector</argLine>' <<< "$surefire" \
  || fail "the README's Surefire snippet must pass --add-modules jdk.incubator.vector"
# the version the README tells users to import must be this build's
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/bom/pom.xml" | head -1)
grep -q "<version>$version</version>" <<< "$dependencies" \
  || fail "the README's BOM import does not use version $version (bom/pom.xml)"

echo "check-user-project: installing Recurra $version (mvn install -DskipTests)" >&2
(cd "$root" && mvn -B -q "${mvnargs[@]}" -DskipTests install)

project=$(mktemp -d "${TMPDIR:-/tmp}/recurra-user-project.XXXXXX")
case "$project" in "$root"/*) fail "the temporary project $project is inside the repository" ;; esac
if [ "${RECURRA_CHECK_KEEP:-0}" != 1 ]; then trap 'rm -rf "$project"' EXIT; fi
mkdir -p "$project/src/main/java" "$project/src/test/java"
printf '%s\n' "$example" > "$project/src/main/java/Example.java"

# the README's dependency snippet holds a <dependencyManagement> and a <dependencies> element: Guice and JUnit are
# added to the latter, before its closing line
user_deps="  <dependency>
    <groupId>com.google.inject</groupId>
    <artifactId>guice</artifactId>
    <version>7.0.0</version>
  </dependency>
  <dependency>
    <groupId>org.junit.jupiter</groupId>
    <artifactId>junit-jupiter</artifactId>
    <version>5.14.1</version>
    <scope>test</scope>
  </dependency>
</dependencies>"
last=$(grep -n '^</dependencies>$' <<< "$dependencies" | tail -1 | cut -d: -f1)
[ -n "$last" ] || fail "the README's dependency snippet has no closing </dependencies> line"
dependencies="$(head -n $((last - 1)) <<< "$dependencies")
$user_deps"

cat > "$project/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
<modelVersion>4.0.0</modelVersion>
<groupId>com.example</groupId>
<artifactId>recurra-user</artifactId>
<version>1.0</version>
<properties>
  <maven.compiler.release>17</maven.compiler.release>
  <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
</properties>
$dependencies
<build>
  <plugins>
  <plugin>
    <groupId>org.apache.maven.plugins</groupId>
    <artifactId>maven-compiler-plugin</artifactId>
    <version>3.13.0</version>
  </plugin>
  <plugin>
    <groupId>org.apache.maven.plugins</groupId>
    <artifactId>maven-resources-plugin</artifactId>
    <version>3.3.1</version>
  </plugin>
  <plugin>
    <groupId>org.apache.maven.plugins</groupId>
    <artifactId>maven-jar-plugin</artifactId>
    <version>3.4.2</version>
  </plugin>
$surefire
$exec_plugin
  </plugins>
</build>
</project>
EOF

# proves that the Surefire snippet's argLine reaches the test JVM (without it the cpu backend runs its scalar kernels)
cat > "$project/src/test/java/VectorApiTest.java" <<'EOF'
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VectorApiTest {
    @Test
    void testJvmHasTheVectorApi() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "the test JVM lacks jdk.incubator.vector: the README's Surefire argLine did not reach it");
    }
}
EOF

echo "check-user-project: building and running $project" >&2
out=$(cd "$project" && mvn -B -q "${mvnargs[@]}" package exec:exec 2>&1) || { printf '%s\n' "$out" >&2; fail "the user project failed"; }
line=$(grep -E '^Testing Accuracy: [0-9.]+ \(10000 images\)$' <<< "$out" || true)
[ -n "$line" ] || { printf '%s\n' "$out" >&2; fail "the example printed no 'Testing Accuracy: X (10000 images)' line"; }
accuracy=$(sed -E 's/^Testing Accuracy: ([0-9.]+).*/\1/' <<< "$line")
awk -v a="$accuracy" -v f="$floor" 'BEGIN { exit !(a + 0 >= f + 0) }' \
  || fail "test accuracy $accuracy is below the floor $floor"
# the history the trainer returned holds the validation scorings the example asked for (every 50 of 156 steps, and
# the last step)
validations=$(grep -cE '^step [0-9]+: validation loss [0-9.]+, accuracy [0-9.]+$' <<< "$out" || true)
[ "$validations" -ge 3 ] || { printf '%s\n' "$out" >&2; fail "the example printed $validations validation lines, expected at least 3"; }
echo "check-user-project: OK, $line, floor $floor, $(( $(date +%s) - start )) s" >&2
