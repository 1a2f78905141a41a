package io.mailplane.common.constraints;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A brand name; {@code null} is valid (combine with {@code @NotNull} where required). */
@Documented
@Constraint(validatedBy = {})
@Size(min = 1, max = 128)
@Pattern(regexp = "[a-z0-9]([a-z0-9.-]{0,126}[a-z0-9])?")
@ReportAsSingleViolation
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE_USE, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface BrandName {
    String message() default "must be 1-128 lowercase letters, digits, dots and hyphens";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
