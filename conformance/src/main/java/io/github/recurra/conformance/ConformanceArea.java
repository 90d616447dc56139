package io.github.recurra.conformance;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Names the area of the kit an abstract test class covers; the report groups results by it. */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ConformanceArea {

    /** @return the area's name as the report shows it, one of {@link ConformanceReport#AREAS} */
    String value();
}
