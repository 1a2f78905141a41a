package io.mailplane.common.constraints;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A short attribute value (oxdeliverystatus, oxantiphishing); {@code null} is valid (combine with {@code @NotNull} where required). */
@Documented
@Constraint(validatedBy = {})
@Pattern(regexp = Patterns.ATTRIBUTE_TEXT)
@ReportAsSingleViolation
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE_USE, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface AttributeText {
    String message() default "must be 1-64 characters of letters, digits and . _ : @ + / = -";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
